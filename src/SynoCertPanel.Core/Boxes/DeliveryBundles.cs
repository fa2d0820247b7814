using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Formats;

namespace SynoCertPanel.Core.Boxes;

internal static class DeliveryBundles
{
    /// <summary>The certificate with its chain and opened key, split as boxes want it: leaf, intermediates, root.</summary>
    public static async Task<Result<DeliveryBundle>> LoadAsync(PanelStorage storage, int certificateId, CancellationToken cancellationToken)
    {
        CertificateRecord? record;
        await using (var db = storage.CreateContext())
        {
            record = await db.Certificates.AsNoTracking().Include(c => c.PrivateKey).SingleOrDefaultAsync(c => c.Id == certificateId, cancellationToken).ConfigureAwait(false);
        }

        if (record is null)
        {
            return Result.Failure<DeliveryBundle>($"Certificate {certificateId} is no longer in the inventory.");
        }

        if (record.PrivateKey is null)
        {
            return Result.Failure<DeliveryBundle>($"Certificate {certificateId} has no private key held here, so it cannot be delivered.");
        }

        var key = Records.OpenKey(storage.Protector, record.PrivateKey);
        if (!key.IsSuccess)
        {
            return Result.Failure<DeliveryBundle>(key.Error!);
        }

        var intermediates = new List<string>();
        string? root = null;
        foreach (var pem in SplitPem(record.ChainPem))
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
            {
                root = pem;
            }
            else
            {
                intermediates.Add(pem);
            }
        }

        return Result.Success(new DeliveryBundle(
            record.Id,
            record.Description.Length > 0 ? record.Description : record.CommonName ?? record.Subject,
            Pem.Encode(Pem.CertificateLabel, record.Der),
            string.Concat(intermediates),
            root,
            Pem.Encode(Pem.PrivateKeyLabel, key.Value.ExportPkcs8()),
            record.Sha256Fingerprint));
    }

    private static IEnumerable<string> SplitPem(string chain)
    {
        const string end = "-----END CERTIFICATE-----";
        var start = 0;
        while (true)
        {
            var begin = chain.IndexOf("-----BEGIN CERTIFICATE-----", start, StringComparison.Ordinal);
            if (begin < 0)
            {
                yield break;
            }

            var stop = chain.IndexOf(end, begin, StringComparison.Ordinal);
            if (stop < 0)
            {
                yield break;
            }

            start = stop + end.Length;
            yield return chain[begin..start] + "\n";
        }
    }
}
