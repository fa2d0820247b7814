using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Audit;

/// <summary>A part of the audit log, newest first, and how many events match in all.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEventRecord> Items, int TotalCount);

/// <summary>Reads the audit log as the audit page and the API show it: newest first, optionally about one certificate.</summary>
public sealed class AuditLogReader(PanelStorage storage)
{
    public async Task<AuditPage> ReadAsync(int? certificateId, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        // One context per read: a circuit lives for hours, a DbContext should live for one query.
        await using var db = storage.CreateContext();
        IQueryable<AuditEventRecord> events = db.AuditEvents.AsNoTracking();
        if (certificateId is { } id)
        {
            events = events.Where(e => e.CertificateId == id);
        }

        var total = await events.CountAsync(cancellationToken).ConfigureAwait(false);
        // Ids grow with time, and ordering by the key is cheaper than by the timestamp column.
        var page = await events.OrderByDescending(e => e.Id).Skip(offset).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new AuditPage(page, total);
    }
}
