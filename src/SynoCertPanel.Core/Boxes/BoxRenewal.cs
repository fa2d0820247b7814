using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Boxes;

/// <summary>A box whose certificate is due for renewal, and when it became due.</summary>
public sealed record RenewalDue(int BoxId, string BoxName, int CertificateId, DateTimeOffset DueAt);

/// <summary>
/// Automatic renewal for boxes the panel can deliver to and issue for (a delivery method and a CA held here): at two thirds
/// of the certificate's lifetime, shifted by up to a twentieth of the lifetime so boxes made together do not all renew in
/// the same minute (step-ca's renewal daemon does the same). Certificates from elsewhere get alerts only.
/// </summary>
public static class BoxRenewal
{
    /// <summary>When a certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> should be renewed on this box.</summary>
    public static DateTimeOffset DueAt(DateTimeOffset notBefore, DateTimeOffset notAfter, int boxId)
    {
        var lifetime = notAfter - notBefore;
        // A stable jitter per box and certificate period: the same box gets the same moment across restarts.
        var seed = HashCode.Combine(boxId, notBefore.UtcTicks);
        var jitter = lifetime / 20 * (Math.Abs(seed % 1000) / 1000.0);
        return notBefore + (lifetime * 2 / 3) + jitter;
    }

    /// <summary>The enabled boxes with a delivery method and a CA whose current certificate is due at <paramref name="now"/>.</summary>
    public static async Task<IReadOnlyList<RenewalDue>> FindDueAsync(PanelStorage storage, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        await using var db = storage.CreateContext();
        var none = DeliveryKind.None.Name();
        var boxes = await db.Boxes.AsNoTracking()
            .Where(b => b.Enabled && b.Delivery != none && b.AuthorityId != null && b.CertificateId != null)
            .Select(b => new { b.Id, b.Name, CertificateId = b.CertificateId!.Value })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = boxes.Select(b => b.CertificateId).ToList();
        var certificates = await db.Certificates.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.NotBefore, c.NotAfter })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. boxes
            .Join(certificates, b => b.CertificateId, c => c.Id, (b, c) => new RenewalDue(b.Id, b.Name, c.Id, DueAt(c.NotBefore, c.NotAfter, b.Id)))
            .Where(r => r.DueAt <= now)
            .OrderBy(r => r.DueAt)];
    }

    /// <summary>After a failed renewal: 15 minutes, doubling per failure, at most a day.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMinutes(Math.Min(15 * Math.Pow(2, Math.Max(0, failures - 1)), TimeSpan.FromDays(1).TotalMinutes));
}
