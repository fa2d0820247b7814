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

    internal static PendingRequest ToPending(PendingRequestRecord record) => new(record.Id, record.Description, record.Subject,
        record.AlternativeNames.Length == 0 ? [] : record.AlternativeNames.Split('\n'), record.CreatedAt,
        CertificateSigningRequest.FromDer(record.CsrDer).Value);
}
