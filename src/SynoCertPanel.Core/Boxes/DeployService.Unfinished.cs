using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Watch;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Boxes;

/// <summary>
/// Deploys a stopped panel left running: marked unfinished at start-up, then settled by probing their boxes again, so the
/// history, the alert and the box's certificate say what each watched endpoint really serves now.
/// </summary>
public sealed partial class DeployService
{
    /// <summary>The message of a row marked unfinished and not yet settled by a probe.</summary>
    public const string StoppedMessage = "The panel stopped in the middle of this deploy. The box is probed again to learn what it serves.";

    /// <summary>
    /// At start-up: deploys left running by a panel that stopped are marked unfinished, and their boxes are returned so
    /// the caller settles them (<see cref="SettleUnfinishedAsync"/>) and checks the boxes again.
    /// </summary>
    public async Task<IReadOnlyList<string>> MarkUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var running = await db.Deployments.Where(d => d.Outcome == DeploymentOutcome.Running).ToListAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var boxIds = running.Select(d => d.BoxId).Distinct().ToList();
            var names = await db.Boxes.Where(b => boxIds.Contains(b.Id)).Select(b => new { b.Id, b.Name }).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var row in running)
            {
                row.Outcome = DeploymentOutcome.Unfinished;
                row.FinishedAt = now;
                row.Message = StoppedMessage;
                row.Steps += "\nThe panel stopped here.";
                var name = names.FirstOrDefault(n => n.Id == row.BoxId)?.Name ?? row.BoxId.ToString(CultureInfo.InvariantCulture);
                AuditLog.Add(db, now, "panel", AuditActions.DeployBox, name, AuditOutcome.Failed, row.Message, certificateId: row.CertificateId);
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return [.. names.Select(n => n.Name)];
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>
    /// Probes the box's watched endpoints again, then each of its unfinished deploys not yet settled says what every
    /// endpoint serves now (this deploy's certificate, the one before, another, nothing); when all serve this deploy's
    /// certificate it becomes the box's certificate, as a finished deploy would have made it. Each is then sent to the alert
    /// channels. Call it before <see cref="BoxWatch.CheckAsync"/>, so the stored states are judged against the settled certificate.
    /// </summary>
    public async Task<IReadOnlyList<DeploymentSummary>> SettleUnfinishedAsync(string boxName, CancellationToken cancellationToken = default)
    {
        List<WatchedEndpoint> endpoints;
        await using (var db = storage.CreateContext())
        {
            var found = await db.Boxes.AsNoTracking().Include(b => b.Endpoints).SingleOrDefaultAsync(b => b.Name == boxName, cancellationToken).ConfigureAwait(false);
            if (found is null || !await db.Deployments.AnyAsync(d => d.BoxId == found.Id && d.Outcome == DeploymentOutcome.Unfinished && d.Message == StoppedMessage,
                cancellationToken).ConfigureAwait(false))
            {
                return [];
            }

            endpoints = [.. found.Endpoints.OrderBy(e => e.Id).Select(e => new WatchedEndpoint(e.Host, e.Port))];
        }

        var served = new List<(WatchedEndpoint Endpoint, string? Fingerprint)>();
        foreach (var endpoint in endpoints)
        {
            var result = await probe.ProbeAsync(ProbeTarget.For(endpoint.Host, endpoint.Port), cancellationToken).ConfigureAwait(false);
            served.Add((endpoint, result.ServedChain.Count > 0 ? Convert.ToHexString(SHA256.HashData(result.ServedChain[0])) : null));
        }

        List<DeploymentSummary> settled = [];
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var box = await db.Boxes.SingleOrDefaultAsync(b => b.Name == boxName, cancellationToken).ConfigureAwait(false);
            if (box is null)
            {
                return [];
            }

            var rows = await db.Deployments.Where(d => d.BoxId == box.Id && d.Outcome == DeploymentOutcome.Unfinished && d.Message == StoppedMessage)
                .OrderBy(d => d.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            foreach (var row in rows)
            {
                var fingerprints = await FingerprintsAsync(db, [row.CertificateId, row.PreviousCertificateId], cancellationToken).ConfigureAwait(false);
                var says = served.Select(s => Serves(s.Endpoint, s.Fingerprint, row.CertificateId, row.PreviousCertificateId, fingerprints)).ToList();
                var delivered = says.Count > 0 && row.CertificateId is not null && says.All(s => s.IsThisDeploy);
                if (delivered)
                {
                    box.CertificateId = row.CertificateId;
                }

                row.Message = Display.Literal(
                    "The panel stopped in the middle of this deploy. Probed again after the restart: "
                    + (says.Count == 0 ? "no endpoint is watched. Deploy again to know what the box serves."
                        : string.Join("; ", says.Select(s => s.Text))
                            + (delivered ? string.Create(CultureInfo.InvariantCulture, $". Certificate {row.CertificateId} is now the box's certificate.") : ". Deploy again to finish it.")),
                    1000);
                AuditLog.Add(db, now, "panel", AuditActions.DeployBox, box.Name, AuditOutcome.Failed, row.Message, certificateId: row.CertificateId);
                settled.Add(Summary(row, box.Name));
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }

        if (alerts is not null)
        {
            foreach (var deploy in settled)
            {
                await alerts.NotifyDeployAsync(deploy, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return settled;
    }

    private static async Task<Dictionary<int, string>> FingerprintsAsync(PanelDbContext db, int?[] ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Where(i => i is not null).Select(i => i!.Value).ToList();
        return await db.Certificates.AsNoTracking().Where(c => wanted.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Sha256Fingerprint, cancellationToken)
            .ConfigureAwait(false);
    }

    private static (bool IsThisDeploy, string Text) Serves(WatchedEndpoint endpoint, string? served, int? certificateId, int? previousId,
        Dictionary<int, string> fingerprints)
    {
        bool Is(int? id) => id is { } known && fingerprints.TryGetValue(known, out var fingerprint)
            && string.Equals(fingerprint, served, StringComparison.OrdinalIgnoreCase);
        return served is null ? (false, $"{endpoint} could not be reached")
            : Is(certificateId) ? (true, string.Create(CultureInfo.InvariantCulture, $"{endpoint} serves certificate {certificateId}, this deploy's"))
            : Is(previousId) ? (false, string.Create(CultureInfo.InvariantCulture, $"{endpoint} still serves certificate {previousId}, the one before this deploy"))
            : (false, $"{endpoint} serves another certificate (SHA-256 {served[..16]}…)");
    }
}
