using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// The outcome of a renewal: a new certificate when its CA is held here, otherwise a pending request whose
/// CSR goes to the CA that issued the original.
/// </summary>
public sealed record Renewal(int? CertificateId, PendingRequest? Request);

/// <summary>
/// What a renewal will keep and do, for the page that asks before it: the subject and names kept, the current key
/// type, and the CA held here that will issue at once (null: the renewal becomes a pending CSR). The validity offered
/// is the old lifetime capped by the profile (<see cref="DefaultValidityDays"/>), at most <see cref="MaxValidityDays"/>.
/// </summary>
public sealed record RenewalPlan(int CertificateId, string Description, string Subject, IReadOnlyList<SubjectAlternativeName> Names,
    KeyAlgorithm? CurrentKeyAlgorithm, int? AuthorityId, string? AuthoritySubject, bool IsDefault, DateTimeOffset CurrentNotAfter,
    int DefaultValidityDays, int MaxValidityDays, DateTimeOffset? AuthorityNotBefore, DateTimeOffset? AuthorityNotAfter)
{
    /// <summary>
    /// Why a validity or a new default cannot be asked of this renewal, named as the caller takes them (<paramref name="daysName"/>,
    /// <paramref name="defaultName"/>), else null. The page offers neither for a request: the CA that signs it decides the
    /// validity, and the certificate only exists once its answer is imported. Refused rather than ignored, so a script learns it at once.
    /// </summary>
    public string? RequestRefusal(bool daysGiven, bool defaultAsked, string daysName, string defaultName) =>
        AuthorityId is null && (daysGiven || defaultAsked)
            ? $"The CA of certificate {CertificateId} is not held here, so the renewal is a request (CSR) for it: "
                + $"its validity is that CA's choice and it can be the default only once imported; leave out {daysName} and {defaultName}."
            : null;

    /// <summary>When the new certificate would end if issued at <paramref name="now"/> for <paramref name="days"/>: the issuer's rule, CA's end included.</summary>
    public DateTimeOffset? NewNotAfter(DateTimeOffset now, int days) => AuthorityNotBefore is { } from && AuthorityNotAfter is { } to
        ? CertificateIssuer.WindowFor(now, days, from, to).NotAfter
        : null;
}

/// <summary>
/// "Renew": a new key with the same subject and names; issued at once when the issuer is held here, and then it takes
/// the old certificate's place: the old one is marked replaced by it (kept, out of the current list, deletable).
/// Callers move the default with it (<c>setAsDefault</c>) when the old one was the default, as the page and CLI do.
/// </summary>
public sealed class RenewService(PanelStorage storage, TimeProvider time)
{
    private const string KeyElsewhere = "This certificate's key is on the box that asked for it: renew there with a new CSR, then sign that here.";

    /// <summary>What <see cref="RenewAsync"/> would do for this certificate; refused as it would be, but nothing is audited.</summary>
    public async Task<Result<RenewalPlan>> PlanAsync(int certificateId, CancellationToken cancellationToken = default)
    {
        await using var read = storage.CreateContext();
        var record = await read.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == certificateId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Result.Failure<RenewalPlan>($"There is no certificate with id {certificateId}.");
        }

        var existing = Records.ToCertificate(record);
        if (existing.IsCertificateAuthority)
        {
            return Result.Failure<RenewalPlan>("CA certificates are renewed by creating a new CA, not by a request.");
        }

        if (record.PrivateKeyId is null)
        {
            return Result.Failure<RenewalPlan>(KeyElsewhere);
        }

        var authorityId = await FindIssuerHeldHereAsync(read, record, cancellationToken).ConfigureAwait(false);
        var authority = authorityId is null ? null
            : await read.Authorities.AsNoTracking().Where(a => a.Id == authorityId)
                .Select(a => new { a.Certificate.Subject, a.Certificate.NotBefore, a.Certificate.NotAfter })
                .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var isDefault = await DefaultCertificate.GetAsync(read, cancellationToken).ConfigureAwait(false) == certificateId;
        return Result.Success(new RenewalPlan(record.Id, record.Description, existing.SubjectText, existing.SubjectAlternativeNames,
            existing.PublicKey.Algorithm, authorityId, authority?.Subject, isDefault, existing.NotAfter, CertificateIssuer.DefaultRenewalDays(existing),
            CertificateIssuer.RenewalProfile(existing).MaxValidityDays, authority?.NotBefore, authority?.NotAfter));
    }

    public async Task<Result<Renewal>> RenewAsync(int certificateId, KeyAlgorithm? keyAlgorithm, bool setAsDefault, string actor,
        int? validityDays = null, CancellationToken cancellationToken = default)
    {
        CertificateRecord? record;
        int? authorityId;
        await using (var read = storage.CreateContext())
        {
            record = await read.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == certificateId, cancellationToken).ConfigureAwait(false);
            authorityId = record is null ? null : await FindIssuerHeldHereAsync(read, record, cancellationToken).ConfigureAwait(false);
        }

        if (record is null)
        {
            return Result.Failure<Renewal>($"There is no certificate with id {certificateId}.");
        }

        var existing = Records.ToCertificate(record);
        var target = record.Description.Length > 0 ? record.Description : record.Subject;
        if (record.PrivateKeyId is null)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.Renew, target, KeyElsewhere, cancellationToken).ConfigureAwait(false);
            return Result.Failure<Renewal>(KeyElsewhere);
        }

        if (authorityId is null)
        {
            return await RequestRenewalAsync(record, existing, keyAlgorithm, target, actor, cancellationToken).ConfigureAwait(false);
        }

        var loaded = await IssuanceRows.LoadAuthorityAsync(storage.Data, storage.Protector, authorityId.Value, cancellationToken).ConfigureAwait(false);
        var issued = IssuanceCheck.ForDefault(
            IssuanceCheck.Lint(loaded.Bind(l => new CertificateIssuer(time).RenewWith(l.Authority, existing, keyAlgorithm, validityDays)), time), setAsDefault, time);

        if (!issued.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.Renew, target, issued.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<Renewal>(issued.Error!);
        }

        var now = time.GetUtcNow();
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var renewed = Records.ToRecord(issued.Value.Certificate, issued.Value.Chain, CertificateSource.Created, record.Description, now);
            renewed.PrivateKey = Records.SealKey(storage.Protector, issued.Value.Key!, now);
            renewed.IssuedByAuthorityId = authorityId;
            db.Certificates.Add(renewed);
            db.IssuedSerials.Add(new IssuedSerialRecord { AuthorityId = authorityId.Value, SerialNumber = issued.Value.Certificate.SerialNumberHex, IssuedAt = now });
            AuditLog.Add(db, now, actor, AuditActions.Renew, target, AuditOutcome.Succeeded, $"renews certificate {certificateId}", renewed);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await Replacement.MarkReplacedAsync(db, certificateId, renewed.Id, cancellationToken).ConfigureAwait(false);
            if (setAsDefault)
            {
                await DefaultCertificate.SetAsync(db, renewed.Id, cancellationToken).ConfigureAwait(false);
                AuditLog.Add(db, now, actor, AuditActions.SetDefault, target, AuditOutcome.Succeeded, certificateId: renewed.Id);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(new Renewal(renewed.Id, null), issued.Warnings);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>The CA held here that issued the certificate: recorded at issuance, or found by name and signature.</summary>
    private static async Task<int?> FindIssuerHeldHereAsync(PanelDbContext db, CertificateRecord record, CancellationToken cancellationToken)
    {
        if (record.IssuedByAuthorityId is { } known)
        {
            return known;
        }

        var existing = Records.ToCertificate(record);
        var candidates = await db.Authorities.AsNoTracking().Include(a => a.Certificate)
            .Where(a => a.Certificate.Subject == record.Issuer).ToListAsync(cancellationToken).ConfigureAwait(false);
        return candidates.FirstOrDefault(a => a.CertificateId != record.Id && existing.IsSignedBy(Records.ToCertificate(a.Certificate)))?.Id;
    }

    private async Task<Result<Renewal>> RequestRenewalAsync(CertificateRecord record, Pki.Certificates.Certificate existing, KeyAlgorithm? keyAlgorithm,
        string target, string actor, CancellationToken cancellationToken)
    {
        var renewal = CertificateIssuer.CreateRenewalRequest(existing, keyAlgorithm);
        if (!renewal.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.Renew, target, renewal.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<Renewal>(renewal.Error!);
        }

        var now = time.GetUtcNow();
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var pending = Records.ToPendingRecord(storage.Protector, renewal.Value.Request, renewal.Value.Key, record.Description, now, record.Id);
            db.PendingRequests.Add(pending);
            AuditLog.Add(db, now, actor, AuditActions.Renew, target, AuditOutcome.Succeeded,
                $"request for certificate {record.Id}; its CA is not held here", certificateId: record.Id);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(new Renewal(null, RequestService.ToPending(pending)));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}
