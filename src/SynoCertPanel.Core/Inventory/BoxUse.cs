using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Inventory;

/// <summary>A box that uses a certificate: the panel's last successful deploy to it delivered it, or its last probe saw it served.</summary>
/// <param name="BoxId">The box's id.</param>
/// <param name="Name">The box's name.</param>
/// <param name="Deployed">Its last successful deploy delivered this certificate.</param>
/// <param name="ServedOn">The watched endpoints (host:port) whose last probe saw it served.</param>
public sealed record BoxUse(int BoxId, string Name, bool Deployed, IReadOnlyList<string> ServedOn)
{
    internal static async Task<IReadOnlyList<BoxUse>> FindAsync(PanelDbContext db, CertificateRecord record, CancellationToken cancellationToken)
    {
        // Per box, its last successful deploy; a failed or rolled-back one after it changed nothing there.
        var deployedBoxes = (await db.Deployments.AsNoTracking()
                .Where(d => d.Outcome == DeploymentOutcome.Succeeded && d.CertificateId != null)
                .Select(d => new { d.BoxId, d.Id, d.CertificateId })
                .ToListAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(d => d.BoxId)
            .Where(g => g.MaxBy(d => d.Id)!.CertificateId == record.Id)
            .Select(g => g.Key)
            .ToHashSet();
        // Both fingerprints are written as Convert.ToHexString writes them (upper case), so they compare as stored.
        var fingerprint = record.Sha256Fingerprint;
        var served = await db.BoxEndpoints.AsNoTracking().Where(e => e.ServedFingerprint == fingerprint)
            .Select(e => new { e.BoxId, e.Host, e.Port }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = deployedBoxes.Concat(served.Select(s => s.BoxId)).Distinct().ToList();
        var names = await db.Boxes.AsNoTracking().Where(b => ids.Contains(b.Id)).Select(b => new { b.Id, b.Name })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. names.OrderBy(b => b.Name, StringComparer.OrdinalIgnoreCase).Select(b => new BoxUse(b.Id, b.Name, deployedBoxes.Contains(b.Id),
            [.. served.Where(s => s.BoxId == b.Id).Select(s => new Boxes.WatchedEndpoint(s.Host, s.Port).ToString()).Order(StringComparer.Ordinal)]))];
    }
}
