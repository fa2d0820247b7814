using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Watch;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Formats;

namespace SynoCertPanel.Core.Boxes;

/// <summary>One endpoint's probe as judged and stored, with the change of condition an alert is about (null when none).</summary>
public sealed record EndpointCheck(string BoxName, int EndpointId, EndpointVerdict Verdict, EndpointStateChange? Change);

/// <summary>
/// Probes boxes' watched endpoints (a bounded number at once), judges what each serves against the latest certificate
/// delivered to the box and the CAs held here, and stores each endpoint's last state, so the page, the CLI and alerts read
/// the same verdicts.
/// </summary>
public sealed class BoxWatch(PanelStorage storage, IEndpointProbe probe, TimeProvider time, Alerts.AlertService? alerts = null,
    IProbeRoundObserver? rounds = null)
{
    public WatchThresholds Thresholds { get; init; } = WatchThresholds.Default;

    public int MaxConcurrent { get; init; } = ProbeRunner.DefaultMaxConcurrent;

    /// <summary>Probes one box now (disabled boxes too: the operator asked).</summary>
    public async Task<Result<IReadOnlyList<EndpointCheck>>> CheckAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        int boxId;
        await using (var db = storage.CreateContext())
        {
            var box = await BoxService.LoadAsync(db, idOrName, cancellationToken).ConfigureAwait(false);
            if (!box.IsSuccess)
            {
                return Result.Failure<IReadOnlyList<EndpointCheck>>(box.Error!);
            }

            boxId = box.Value.Id;
        }

        return Result.Success(await CheckBoxesAsync(b => b.Id == boxId, allBoxes: false, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Probes every enabled box: the schedule's round.</summary>
    public Task<IReadOnlyList<EndpointCheck>> CheckAllAsync(CancellationToken cancellationToken = default) =>
        CheckBoxesAsync(b => b.Enabled, allBoxes: true, cancellationToken);

    private async Task<IReadOnlyList<EndpointCheck>> CheckBoxesAsync(System.Linq.Expressions.Expression<Func<BoxRecord, bool>> which, bool allBoxes,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        List<BoxRecord> boxes;
        Dictionary<int, Certificate> latest;
        Dictionary<int, DeploymentRecord> pending;
        List<Certificate> roots;
        await using (var db = storage.CreateContext())
        {
            boxes = await db.Boxes.AsNoTracking().Include(b => b.Endpoints).Where(which).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (boxes.All(b => b.Endpoints.Count == 0))
            {
                // Nothing to probe: the certificates are not read either, so a panel with no boxes never loads the
                // certificate engine for its scheduled rounds.
                rounds?.RoundFinished(new ProbeRound(allBoxes, 0, time.GetElapsedTime(started), time.GetUtcNow()));
                return [];
            }

            pending = await PendingAsync(db, boxes, cancellationToken).ConfigureAwait(false);
            var certificateIds = boxes.Where(b => b.CertificateId is not null).Select(b => b.CertificateId!.Value)
                .Concat(pending.Values.Select(d => d.CertificateId!.Value)).ToList();
            latest = (await db.Certificates.AsNoTracking().Where(c => certificateIds.Contains(c.Id)).Select(c => new { c.Id, c.Der }).ToListAsync(cancellationToken).ConfigureAwait(false))
                .Select(c => (c.Id, Parsed: Certificate.FromDer(c.Der))).Where(c => c.Parsed.IsSuccess).ToDictionary(c => c.Id, c => c.Parsed.Value);
            // The home CAs: every root held here (an intermediate's chain ends at one of them).
            roots = [.. (await db.Authorities.AsNoTracking().Where(a => a.Certificate.Subject == a.Certificate.Issuer).Select(a => a.Certificate.Der)
                .ToListAsync(cancellationToken).ConfigureAwait(false)).Select(der => Certificate.FromDer(der)).Where(c => c.IsSuccess).Select(c => c.Value)];
        }

        var targets = boxes.SelectMany(b => b.Endpoints.Select(e => (Box: b, Endpoint: e, Target: ProbeTarget.For(e.Host, e.Port)))).ToList();
        var byTarget = targets.ToDictionary(t => (object)t.Target, t => (t.Box, t.Endpoint), ReferenceEqualityComparer.Instance);
        var round = new RoundContext(latest, pending, roots);
        var checks = new List<EndpointCheck>();
        var batch = new List<(BoxRecord Box, BoxEndpointRecord Endpoint, ProbeResult Result)>(StoreBatch);
        // Judged and stored as results arrive, a batch at a time, each batch in its own short-lived context: a round of
        // hundreds of endpoints then never holds every probe result, verdict and tracked row at once.
        await foreach (var result in new ProbeRunner(probe, MaxConcurrent).RunAsync(targets.Select(t => t.Target), cancellationToken).ConfigureAwait(false))
        {
            var (box, endpoint) = byTarget[result.Target];
            batch.Add((box, endpoint, result));
            if (batch.Count == StoreBatch)
            {
                checks.AddRange(await StoreAsync(batch, round, cancellationToken).ConfigureAwait(false));
                batch.Clear();
            }
        }

        checks.AddRange(await StoreAsync(batch, round, cancellationToken).ConfigureAwait(false));
        var adopt = pending.Where(p => round.ServingPending.GetValueOrDefault(p.Key)).ToList();
        if (adopt.Count > 0)
        {
            await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var db = storage.CreateContext();
                foreach (var (boxId, deploy) in adopt)
                {
                    await AdoptAsync(db, boxId, deploy, cancellationToken).ConfigureAwait(false);
                }

                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                storage.WriteGate.Release();
            }
        }

        rounds?.RoundFinished(new ProbeRound(allBoxes, targets.Count, time.GetElapsedTime(started), time.GetUtcNow()));
        if (alerts is not null)
        {
            // One message per change of condition, to every enabled channel (AlertService ignores checks without a change).
            await alerts.NotifyAsync(checks, cancellationToken).ConfigureAwait(false);
        }

        return [.. checks.OrderByDescending(c => c.Verdict.Severity)];
    }

    /// <summary>Endpoints judged and stored per write: small enough to keep a round's memory flat, large enough to write rarely.</summary>
    public const int StoreBatch = 50;

    /// <summary>What every endpoint of a round is judged against, and which boxes serve their unfinished deploy's certificate so far.</summary>
    private sealed record RoundContext(Dictionary<int, Certificate> Latest, Dictionary<int, DeploymentRecord> Pending, List<Certificate> Roots)
    {
        public Dictionary<int, bool> ServingPending { get; } = [];
    }

    private async Task<List<EndpointCheck>> StoreAsync(List<(BoxRecord Box, BoxEndpointRecord Endpoint, ProbeResult Result)> batch, RoundContext round,
        CancellationToken cancellationToken)
    {
        var checks = new List<EndpointCheck>(batch.Count);
        if (batch.Count == 0)
        {
            return checks;
        }

        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var ids = batch.Select(b => b.Endpoint.Id).ToList();
            var rows = await db.BoxEndpoints.Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken).ConfigureAwait(false);
            foreach (var (box, endpoint, result) in batch)
            {
                var leaf = result.ServedChain.Count > 0 ? Certificate.FromDer(result.ServedChain[0]) : null;
                // A box may load what an unfinished deploy delivered after the panel stopped (a reload that outlived it):
                // serving that certificate is serving the latest, and when every endpoint does, it is the box's certificate.
                var unfinished = round.Pending.TryGetValue(box.Id, out var deploy) ? round.Latest.GetValueOrDefault(deploy.CertificateId!.Value) : null;
                var servesPending = unfinished is not null && leaf is { IsSuccess: true } && unfinished.Equals(leaf.Value);
                round.ServingPending[box.Id] = round.ServingPending.GetValueOrDefault(box.Id, true) && servesPending;
                var expected = new EndpointExpectation
                {
                    Latest = servesPending ? unfinished : box.CertificateId is { } id ? round.Latest.GetValueOrDefault(id) : null,
                    BoxAddresses = BoxRecords.AddressValues(box),
                    HomeRoots = round.Roots,
                    Thresholds = Thresholds,
                };
                var verdict = EndpointVerdict.Judge(result, expected, time);
                if (!rows.TryGetValue(endpoint.Id, out var row))
                {
                    continue; // The box was edited or deleted while its endpoints were probed.
                }

                var change = EndpointStateChange.Detect(ParseCondition(row.State), verdict);
                row.CheckedAt = result.ProbedAt;
                row.State = FormatCondition(EndpointCondition.Of(verdict));
                row.Message = Display.Literal(string.Join(" ", verdict.Findings.Select(f => f.Message)), 1000);
                row.ServedFingerprint = result.ServedChain.Count > 0 ? Convert.ToHexString(SHA256.HashData(result.ServedChain[0])) : null;
                row.ServedNotAfter = leaf is { IsSuccess: true } ? leaf.Value.NotAfter : null;
                row.ServedChainPem = result.ServedChain.Count > 0 ? string.Concat(result.ServedChain.Select(der => Pem.Encode(Pem.CertificateLabel, der))) : null;
                checks.Add(new EndpointCheck(box.Name, endpoint.Id, verdict, change));
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return checks;
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>Each box's newest deploy when it is unfinished with a certificate that is not yet the box's: what the box may serve now.</summary>
    private static async Task<Dictionary<int, DeploymentRecord>> PendingAsync(PanelDbContext db, List<BoxRecord> boxes, CancellationToken cancellationToken)
    {
        var boxIds = boxes.Select(b => b.Id).ToList();
        var newest = await db.Deployments.AsNoTracking().Where(d => boxIds.Contains(d.BoxId)).GroupBy(d => d.BoxId).Select(g => g.Max(d => d.Id))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Deployments.AsNoTracking()
            .Where(d => newest.Contains(d.Id) && d.Outcome == DeploymentOutcome.Unfinished && d.CertificateId != null)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Where(d => boxes.Single(b => b.Id == d.BoxId).CertificateId != d.CertificateId).ToDictionary(d => d.BoxId);
    }

    /// <summary>Every endpoint serves the unfinished deploy's certificate: it becomes the box's, and the deploy's row says so.</summary>
    private async Task AdoptAsync(PanelDbContext db, int boxId, DeploymentRecord deploy, CancellationToken cancellationToken)
    {
        var box = await db.Boxes.SingleAsync(b => b.Id == boxId, cancellationToken).ConfigureAwait(false);
        var row = await db.Deployments.SingleAsync(d => d.Id == deploy.Id, cancellationToken).ConfigureAwait(false);
        box.CertificateId = deploy.CertificateId;
        row.Message = Display.Literal(row.Message + string.Create(CultureInfo.InvariantCulture,
            $" A check on {time.GetUtcNow():yyyy-MM-dd HH:mm} UTC found every watched endpoint serving certificate {deploy.CertificateId}, so it is now the box's certificate."), 1000);
    }

    /// <summary>The stored form of a condition: "ok", "expired", "expiring-14".</summary>
    public static string FormatCondition(EndpointCondition condition) => condition.ThresholdDays is { } days
        ? string.Create(CultureInfo.InvariantCulture, $"{Name(condition.State)}-{days}")
        : Name(condition.State);

    public static EndpointCondition? ParseCondition(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        var dash = stored.LastIndexOf('-');
        int? days = dash > 0 && int.TryParse(stored[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null;
        var name = days is null ? stored : stored[..dash];
        var state = Enum.GetValues<EndpointState>().Cast<EndpointState?>().FirstOrDefault(s => Name(s!.Value) == name);
        return state is { } s ? new EndpointCondition(s, days) : null;
    }

    /// <summary>Kebab-case names for the CLI, the API and stored rows: ok, expiring, not-latest, name-not-covered, …</summary>
    public static string Name(EndpointState state) =>
        string.Concat(state.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
