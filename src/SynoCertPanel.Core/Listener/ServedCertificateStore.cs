using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Security;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Listener;

/// <summary>
/// What the HTTPS listener reads from the data directory: which certificate is the default, that certificate
/// with its key, and a fresh self-signed default when there is none or it cannot be used.
/// </summary>
public sealed class ServedCertificateStore(PanelStorage storage, TimeProvider time)
{
    public const string SelfSignedDescription = "Self-signed panel certificate (created automatically)";

    public PanelStorage Storage => storage;

    /// <summary>The default certificate's id; one indexed read, cheap enough to poll.</summary>
    public async Task<int?> GetDefaultIdAsync(CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        return await DefaultCertificate.GetAsync(db, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads a certificate with its key; refuses one whose key is not held here, does not decrypt, or does not match.</summary>
    public async Task<Result<ServedCertificate>> LoadAsync(int certificateId, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var record = await db.Certificates.AsNoTracking().Include(c => c.PrivateKey)
            .SingleOrDefaultAsync(c => c.Id == certificateId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Result.Failure<ServedCertificate>($"There is no certificate with id {certificateId}.");
        }

        return Open(record, storage.Protector);
    }

    /// <summary>A certificate row (with its key row loaded) as something to serve; refuses a key that is missing, does not decrypt, or does not match.</summary>
    internal static Result<ServedCertificate> Open(CertificateRecord record, KeyProtector protector)
    {
        if (record.PrivateKey is null)
        {
            return Result.Failure<ServedCertificate>($"Certificate {record.Id} cannot be served: its private key is not held here.");
        }

        var key = Records.OpenStoredKey(protector, record.PrivateKey);
        if (!key.IsSuccess)
        {
            return Result.Failure<ServedCertificate>($"Certificate {record.Id} cannot be served: {key.Error}");
        }

        var leaf = CertificateParts.Read(record.Der);
        if (!leaf.IsSuccess)
        {
            return Result.Failure<ServedCertificate>($"Certificate {record.Id} cannot be served: {leaf.Error}");
        }

        return key.Value.MatchesPublicKey(leaf.Value.SubjectPublicKeyInfo.Span)
            ? Result.Success(new ServedCertificate(record.Id, record.Der, Records.ChainDerOf(record), record.Subject, key.Value))
            : Result.Failure<ServedCertificate>($"Certificate {record.Id} cannot be served: the key stored with it does not match its public key.");
    }

    /// <summary>
    /// Creates a new root and a server certificate for <paramref name="names"/> and makes it the default: the panel's
    /// first certificate, and the way back in when the admin is locked out.
    /// </summary>
    public async Task<Result<ServedCertificate>> CreateSelfSignedDefaultAsync(IReadOnlyList<SubjectAlternativeName> names, string machineName,
        string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(machineName);
        var created = await new SelfSignedService(storage, time).CreateAsync(new SelfSignedRequest
        {
            // P-256: generated in well under a millisecond, so a first start is not held up (DOTNET-NOTES.md "Crypto speed").
            Root = new RootCaOptions
            {
                Subject = DistinguishedName.Create(BootstrapAuthority.CommonNameFor(machineName), BootstrapAuthority.Organization).Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            },
            Server = new LeafOptions
            {
                Subject = DistinguishedName.Create(null, "SynoCertPanel").Value,
                SubjectAlternativeNames = names,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            },
            Description = SelfSignedDescription,
            SetAsDefault = true,
        }, actor, cancellationToken).ConfigureAwait(false);
        return created.IsSuccess
            ? await LoadAsync(created.Value.CertificateId, cancellationToken).ConfigureAwait(false)
            : Result.Failure<ServedCertificate>(created.Error!);
    }

    /// <summary>An apply refused by the listener's own checks is audited like a refused set-default.</summary>
    public Task RecordRefusalAsync(int certificateId, string actor, string reason, CancellationToken cancellationToken = default) =>
        Refusals.RecordAsync(storage, time, actor, AuditActions.SetDefault, $"certificate {certificateId}", reason, cancellationToken);

    /// <summary>
    /// Puts back the default that was served before an apply whose handshake check failed. No checks: that
    /// certificate was being served a moment ago.
    /// </summary>
    public async Task RestoreDefaultAsync(int certificateId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            await DefaultCertificate.SetAsync(db, certificateId, cancellationToken).ConfigureAwait(false);
            AuditLog.Add(db, time.GetUtcNow(), actor, AuditActions.SetDefault, $"certificate {certificateId}", AuditOutcome.Succeeded,
                $"restored: {reason}", certificateId: certificateId);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}
