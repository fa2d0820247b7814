using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Security;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Inventory;

/// <summary>What an import staged in the unit of work: the leaf's row, where its key came from, and a CA registered with it.</summary>
internal sealed record ImportPlacementResult(CertificateRecord Record, string KeySource, int? CompletedRequestId, AuthorityRecord? Authority,
    int? RenewsCertificateId = null);

/// <summary>Where an import's key comes from: a row held here (<paramref name="Held"/>, maybe a pending request's), or the files.</summary>
internal sealed record ImportKeyLocation(PrivateKeyRecord? Held, PendingRequestRecord? Pending, string KeySource)
{
    public ImportKeySource Source => Pending is not null ? ImportKeySource.PendingRequest : Held is not null ? ImportKeySource.HeldKey : ImportKeySource.Files;
}

/// <summary>
/// Stages an import's rows inside the caller's transaction: refuses a duplicate, finds the key (pending
/// request first, then a key already held, then the files), and registers a CA that came with its key.
/// </summary>
internal sealed class ImportPlacement(PanelDbContext db, KeyProtector protector, DateTimeOffset now)
{
    /// <summary>
    /// The checks that decide whether the bundle can be stored, without staging anything: not a duplicate, and a
    /// key to go with it (pending request first, then a key already held, then the files).
    /// </summary>
    public async Task<Result<ImportKeyLocation>> LocateKeyAsync(ImportBundle bundle, CancellationToken cancellationToken)
    {
        var leaf = bundle.Leaf;
        var duplicate = await db.Certificates.AsNoTracking().Where(c => c.Sha256Fingerprint == leaf.Sha256Fingerprint)
            .Select(c => new { c.Id, c.Description }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (duplicate is not null)
        {
            return Result.Failure<ImportKeyLocation>($"This certificate is already in the inventory as id {duplicate.Id} (\"{Display.Literal(duplicate.Description)}\").");
        }

        var hash = Records.PublicKeyHash(leaf.SubjectPublicKeyInfo.Span);
        var pending = await db.PendingRequests.Include(p => p.PrivateKey).Where(p => p.PrivateKey.PublicKeySha256 == hash)
            .OrderBy(p => p.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var key = pending?.PrivateKey ?? await HeldKeyAsync(hash, cancellationToken).ConfigureAwait(false);
        if (key is not null)
        {
            // The hash found the row; opening it proves the key-encryption key is right and the row is intact.
            var opened = Records.OpenKey(protector, key);
            if (!opened.IsSuccess || !leaf.Matches(opened.Value))
            {
                return Result.Failure<ImportKeyLocation>(opened.Error ?? $"The stored private key {key.Id} does not match the certificate.");
            }

            return Result.Success(new ImportKeyLocation(key, pending,
                pending is not null ? $"key of pending request {pending.Id}" : $"key {key.Id} already held"));
        }

        return bundle.Key is not null
            ? Result.Success(new ImportKeyLocation(null, null, "key from the files"))
            : Result.Failure<ImportKeyLocation>("The files hold no private key, and no pending request or key held here belongs to this certificate. Add the key file.");
    }

    public async Task<Result<ImportPlacementResult>> PlaceAsync(ImportBundle bundle, string description, CancellationToken cancellationToken)
    {
        var leaf = bundle.Leaf;
        var located = await LocateKeyAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (!located.IsSuccess)
        {
            return Fail(located.Error!);
        }

        var (key, pending, keySource) = located.Value;
        key ??= Records.SealKey(protector, bundle.Key!, now);
        if (pending is not null)
        {
            db.PendingRequests.Remove(pending);
        }

        var record = Records.ToRecord(leaf, bundle.Chain, CertificateSource.Imported, description, now);
        record.PrivateKey = key;
        db.Certificates.Add(record);
        var warnings = new List<string>();
        AuthorityRecord? registered = null;
        var authority = await IssuingAuthorityAsync(bundle, warnings, cancellationToken).ConfigureAwait(false);
        if (authority is not null)
        {
            record.IssuedByAuthority = authority;
            var isNew = authority.Id == 0;
            if (isNew)
            {
                // A serial row refers to its authority by id only; the new authority needs its id first (same transaction).
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }

            // The serial is the CA's bookkeeping: it must never issue it again.
            if (isNew || !await db.IssuedSerials.AnyAsync(s => s.AuthorityId == authority.Id && s.SerialNumber == leaf.SerialNumberHex, cancellationToken).ConfigureAwait(false))
            {
                db.IssuedSerials.Add(new IssuedSerialRecord { AuthorityId = authority.Id, SerialNumber = leaf.SerialNumberHex, IssuedAt = now });
            }

            registered = isNew ? authority : null;
        }

        if (IsAuthority(leaf))
        {
            registered = new AuthorityRecord { Certificate = record, CreatedAt = now };
            db.Authorities.Add(registered);
        }

        return Result.Success(new ImportPlacementResult(record, keySource, pending?.Id, registered, pending?.RenewsCertificateId), warnings);
    }

    /// <summary>
    /// The same test the lint uses: `openssl req -x509` marks self-signed server certificates CA:TRUE, so only a
    /// CA certificate that names no host and does not allow serverAuth is registered as an authority.
    /// </summary>
    private static bool IsAuthority(Certificate certificate) =>
        certificate.IsCertificateAuthority && !certificate.HasServerAuth
        && !certificate.SubjectAlternativeNames.Any(n => n.Kind is SanKind.Dns or SanKind.IpAddress);

    private Task<PrivateKeyRecord?> HeldKeyAsync(string hash, CancellationToken cancellationToken) =>
        db.PrivateKeys.Where(k => k.PublicKeySha256 == hash).OrderBy(k => k.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The CA above the leaf when it is held here, or when the archive brought its key (syno-ca-privkey.pem):
    /// then the CA is stored with its key and becomes an authority of this panel.
    /// </summary>
    private async Task<AuthorityRecord?> IssuingAuthorityAsync(ImportBundle bundle, List<string> warnings, CancellationToken cancellationToken)
    {
        if (bundle.Chain is not [var issuer, ..])
        {
            return null;
        }

        var existing = await db.Authorities.Include(a => a.Certificate)
            .FirstOrDefaultAsync(a => a.Certificate.Sha256Fingerprint == issuer.Sha256Fingerprint, cancellationToken).ConfigureAwait(false);
        if (existing is not null || bundle.CaKey is null)
        {
            return existing;
        }

        if (!issuer.Matches(bundle.CaKey))
        {
            warnings.Add("The archive's CA key belongs to a CA higher up the chain, not to the leaf's issuer; the CA key was not imported.");
            return null;
        }

        if (await db.Certificates.AnyAsync(c => c.Sha256Fingerprint == issuer.Sha256Fingerprint, cancellationToken).ConfigureAwait(false))
        {
            warnings.Add($"The CA \"{Display.Literal(issuer.SubjectText)}\" is already in the inventory without its key; the CA key was not imported.");
            return null;
        }

        var caRecord = Records.ToRecord(issuer, bundle.Chain.Skip(1).ToList(), CertificateSource.Imported, issuer.Subject.CommonName ?? issuer.SubjectText, now);
        var caHash = Records.PublicKeyHash(issuer.SubjectPublicKeyInfo.Span);
        caRecord.PrivateKey = await HeldKeyAsync(caHash, cancellationToken).ConfigureAwait(false) ?? Records.SealKey(protector, bundle.CaKey, now);
        var authority = new AuthorityRecord { Certificate = caRecord, CreatedAt = now };
        db.Authorities.Add(authority);
        return authority;
    }

    private static Result<ImportPlacementResult> Fail(string message) => Result.Failure<ImportPlacementResult>(message);
}
