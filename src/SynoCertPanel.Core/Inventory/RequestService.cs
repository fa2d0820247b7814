using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Inventory;

public sealed record PendingRequest(int Id, string Description, string Subject, IReadOnlyList<string> AlternativeNames, DateTimeOffset CreatedAt,
    CertificateSigningRequest Request);

/// <summary>A withdrawn request; its key is kept only when a certificate here already uses it.</summary>
public sealed record CancelledRequest(int Id, bool KeyDestroyed);

/// <summary>
/// "Create CSR": the key stays here, sealed, as a pending request. The CSR goes to another CA; when the
/// signed certificate comes back, importing it finds this key by its public key — no key file to carry.
/// </summary>
public sealed class RequestService(PanelStorage storage, TimeProvider time)
{
    public async Task<Result<PendingRequest>> CreateAsync(DistinguishedName subject, IReadOnlyList<SubjectAlternativeName> names,
        KeyAlgorithm keyAlgorithm, string description, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(names);
        var target = subject.CommonName ?? (names is [var first, ..] ? first.Value : "(no name)");
        var text = Descriptions.Check(description);
        var key = KeyGenerator.Generate(keyAlgorithm);
        var request = text.Bind(_ => CertificateIssuer.CreateSigningRequest(subject, names, key));
        if (!request.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.CreateRequest, target, request.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<PendingRequest>(request.Error!);
        }

        var now = time.GetUtcNow();
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var record = Records.ToPendingRecord(storage.Protector, request.Value, key, text.Value.Length > 0 ? text.Value : target, now);
            db.PendingRequests.Add(record);
            AuditLog.Add(db, now, actor, AuditActions.CreateRequest, target, AuditOutcome.Succeeded, record.AlternativeNames.Replace('\n', ' '));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(ToPending(record));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    public async Task<IReadOnlyList<PendingRequest>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var rows = await db.PendingRequests.AsNoTracking().OrderByDescending(p => p.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(ToPending).ToList();
    }

    public async Task<Result<PendingRequest>> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var record = await db.PendingRequests.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
        return record is null ? Result.Failure<PendingRequest>(NoSuchRequest(id)) : Result.Success(ToPending(record));
    }

    /// <summary>
    /// Withdraws a pending request: the row goes, and with it the sealed key unless a certificate here already uses it.
    /// The deletion runs with SQLite's secure_delete, so the freed pages are overwritten rather than left holding the
    /// encrypted key. A CSR already sent out can then never come back to a key here.
    /// </summary>
    public async Task<Result<CancelledRequest>> CancelAsync(int id, string actor, CancellationToken cancellationToken = default)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete=ON;", cancellationToken).ConfigureAwait(false);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var record = await db.PendingRequests.Include(p => p.PrivateKey).SingleOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (record is null)
            {
                AuditLog.Add(db, now, actor, AuditActions.CancelRequest, $"request {id}", AuditOutcome.Refused, NoSuchRequest(id));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Result.Failure<CancelledRequest>(NoSuchRequest(id));
            }

            db.PendingRequests.Remove(record);
            var keyInUse = await db.Certificates.AnyAsync(c => c.PrivateKeyId == record.PrivateKeyId, cancellationToken).ConfigureAwait(false)
                || await db.PendingRequests.AnyAsync(p => p.PrivateKeyId == record.PrivateKeyId && p.Id != id, cancellationToken).ConfigureAwait(false);
            if (!keyInUse)
            {
                db.PrivateKeys.Remove(record.PrivateKey);
            }

            AuditLog.Add(db, now, actor, AuditActions.CancelRequest, record.Description.Length > 0 ? record.Description : record.Subject, AuditOutcome.Succeeded,
                keyInUse ? $"request {id}; its key stays, a certificate here uses it" : $"request {id}; its key was destroyed",
                certificateId: record.RenewsCertificateId);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(new CancelledRequest(id, KeyDestroyed: !keyInUse));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    private static string NoSuchRequest(int id) => $"There is no pending request with id {id}.";

    internal static PendingRequest ToPending(PendingRequestRecord record) => new(record.Id, record.Description, record.Subject,
        record.AlternativeNames.Length == 0 ? [] : record.AlternativeNames.Split('\n'), record.CreatedAt,
        CertificateSigningRequest.FromDer(record.CsrDer).Value);
}
