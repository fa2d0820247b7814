using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Inventory;

/// <summary>A certificate took another's place: <paramref name="OldWasDefault"/> says whether the default moves (or moved) with it.</summary>
public sealed record ReplacedCertificate(int OldId, int NewId, bool OldWasDefault);

/// <summary>
/// One certificate taking another's place, the one rule for a renewal issued here, the imported answer to a pending
/// renewal, and "Replace an existing certificate": the old row is kept for its history, marked replaced by the new one
/// (out of the current list, deletable), and the default moves to the new one when the old one was it.
/// </summary>
internal static class Replacement
{
    /// <summary>Marks the old certificate replaced, saved in the caller's transaction.</summary>
    public static async Task MarkReplacedAsync(PanelDbContext db, int oldId, int newId, CancellationToken cancellationToken)
    {
        var old = await db.Certificates.SingleOrDefaultAsync(c => c.Id == oldId, cancellationToken).ConfigureAwait(false);
        if (old is not null)
        {
            old.ReplacedById = newId;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Marks the old certificate replaced and, when it was the default and <paramref name="moveDefault"/>, makes the new
    /// one the default (audited). A page with a live listener passes false and applies the new one itself, so its
    /// pre-flight runs first. Saved in the caller's transaction.
    /// </summary>
    public static async Task<bool> TakePlaceAsync(PanelDbContext db, int oldId, int newId, bool moveDefault, string target, string actor,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await MarkReplacedAsync(db, oldId, newId, cancellationToken).ConfigureAwait(false);
        var wasDefault = await DefaultCertificate.GetAsync(db, cancellationToken).ConfigureAwait(false) == oldId;
        if (wasDefault && moveDefault)
        {
            await DefaultCertificate.SetAsync(db, newId, cancellationToken).ConfigureAwait(false);
            AuditLog.Add(db, now, actor, AuditActions.SetDefault, target, AuditOutcome.Succeeded, $"replaces certificate {oldId}", certificateId: newId);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return wasDefault;
    }

    /// <summary>Why <paramref name="newRecord"/> cannot take <paramref name="oldRecord"/>'s place, or null.</summary>
    public static async Task<string?> ProblemAsync(PanelDbContext db, CertificateRecord oldRecord, CertificateRecord newRecord, CancellationToken cancellationToken)
    {
        if (oldRecord.Id == newRecord.Id)
        {
            return "A certificate cannot replace itself.";
        }

        if (oldRecord.ReplacedById is { } by)
        {
            return $"Certificate {oldRecord.Id} was already replaced by certificate {by}.";
        }

        if (newRecord.ReplacedById is not null)
        {
            return $"Certificate {newRecord.Id} was itself replaced; choose the current one.";
        }

        // A CA held here goes on signing with its own key: it is replaced by creating a new CA and issuing from it.
        var authorities = await db.Authorities.AsNoTracking().Where(a => a.CertificateId == oldRecord.Id || a.CertificateId == newRecord.Id)
            .Select(a => a.CertificateId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return authorities.Count > 0
            ? $"Certificate {authorities[0]} is a CA held here; a CA is not replaced: create a new one on the Authorities page and issue from it."
            : null;
    }
}
