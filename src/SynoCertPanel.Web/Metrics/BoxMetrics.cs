using Prometheus;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Metrics;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Watch;

namespace SynoCertPanel.Web.Metrics;

/// <summary>
/// The boxes on /metrics. Per watched endpoint of an enabled box: its last state, the expiry of the certificate it served and
/// when it was last probed. Per box: its deploys by outcome, counted from the stored history (so a restart loses nothing),
/// and its latest deploy. And how long probe rounds take, observed as they end. The only labels are the box's name and the
/// endpoint as written (host:port), so the series grow with the boxes, never with probes or certificates.
/// </summary>
public sealed class BoxMetrics : IProbeRoundObserver, IDisposable
{
    /// <summary>The state label of an endpoint that has not been probed yet.</summary>
    public const string NotProbed = "not-probed";

    private static readonly string[] EndpointLabels = ["box", "endpoint"];

    /// <summary>Outcomes a deploy ends with; a running deploy is counted once it has ended.</summary>
    private static readonly DeploymentOutcome[] Ended = [DeploymentOutcome.Succeeded, DeploymentOutcome.Failed, DeploymentOutcome.RolledBack, DeploymentOutcome.Unfinished];

    private readonly PanelStorage _storage;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ScrapedSeries<Gauge.Child> _state;
    private readonly ScrapedSeries<Gauge.Child> _servedExpiry;
    private readonly ScrapedSeries<Gauge.Child> _lastProbe;
    private readonly ScrapedSeries<Counter.Child> _deploys;
    private readonly ScrapedSeries<Gauge.Child> _lastDeploy;
    private readonly Gauge _endpoints;
    private readonly Gauge _boxes;
    private readonly Histogram _rounds;

    public BoxMetrics(PanelMetrics metrics, PanelStorage storage)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _storage = storage;
        var factory = metrics.Factory;
        _state = new(factory.CreateGauge("synocertpanel_endpoint_state",
            "1 for the state of a watched endpoint of an enabled box as its last probe judged it: ok, expiring, not-latest, weak, "
            + "name-not-covered, untrusted, expired, unreachable, or not-probed.", [.. EndpointLabels, "state"]));
        _servedExpiry = new(factory.CreateGauge("synocertpanel_endpoint_served_expiry_timestamp_seconds",
            "When the certificate a watched endpoint served at its last probe expires (Unix time); absent when it served none.", EndpointLabels));
        _lastProbe = new(factory.CreateGauge("synocertpanel_endpoint_last_probe_timestamp_seconds",
            "When a watched endpoint was last probed (Unix time), by the schedule, Check now, the command line or the API.", EndpointLabels));
        _deploys = new(factory.CreateCounter("synocertpanel_box_deploys_total",
            "Deploys to a box that ended, by outcome (succeeded, failed, rolled-back, unfinished), from the stored history.", ["box", "outcome"]));
        _lastDeploy = new(factory.CreateGauge("synocertpanel_box_last_deploy_timestamp_seconds",
            "When a box's latest deploy ended, or started while it runs (Unix time), labelled with its outcome (running while it runs).",
            ["box", "outcome"]));
        _endpoints = factory.CreateGauge("synocertpanel_endpoints", "Watched endpoints of enabled boxes, by the state of their last probe.", ["state"]);
        _boxes = factory.CreateGauge("synocertpanel_boxes", "Boxes, enabled or disabled (a disabled box is neither probed nor renewed on schedule).", ["state"]);
        _rounds = factory.CreateHistogram("synocertpanel_probe_round_duration_seconds",
            "How long a round of probes took (probing, judging and storing), by round: all (the schedule's, every enabled box) or box (one box now).",
            ["round"], new HistogramConfiguration { Buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        // Both from zero before the first round, so the first one is an increase Prometheus sees.
        _rounds.WithLabels("all");
        _rounds.WithLabels("box");
        metrics.Registry.AddBeforeCollectCallback(UpdateAsync);
    }

    public void RoundFinished(ProbeRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        _rounds.WithLabels(round.AllBoxes ? "all" : "box").Observe(round.Duration.TotalSeconds);
    }

    public void Dispose() => _gate.Dispose();

    private async Task UpdateAsync(CancellationToken cancellationToken)
    {
        // Two scrapes at once would interleave their removals; the second waits and then writes fresh values.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = await BoxMetricRows.ReadAsync(_storage.Data, cancellationToken).ConfigureAwait(false);
            var counts = Enum.GetValues<EndpointState>().Select(BoxWatch.Name).Append(NotProbed).ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
            foreach (var endpoint in rows.Endpoints)
            {
                var state = endpoint.State ?? NotProbed;
                counts[state]++;
                _state.Labelled(endpoint.Box, endpoint.Endpoint, state).Set(1);
                if (endpoint.CheckedAt is { } checkedAt)
                {
                    _lastProbe.Labelled(endpoint.Box, endpoint.Endpoint).Set(checkedAt.ToUnixTimeSeconds());
                }

                if (endpoint.ServedNotAfter is { } notAfter)
                {
                    _servedExpiry.Labelled(endpoint.Box, endpoint.Endpoint).Set(notAfter.ToUnixTimeSeconds());
                }
            }

            var deploys = rows.Deploys.ToDictionary(d => (d.Box, d.Outcome), d => d.Count);
            foreach (var (box, _) in rows.Boxes)
            {
                // Every ended outcome from zero, so the first failure is an increase Prometheus sees.
                foreach (var outcome in Ended)
                {
                    _deploys.Labelled(box, Name(outcome)).IncTo(deploys.GetValueOrDefault((box, outcome)));
                }
            }

            foreach (var last in rows.LastDeploys)
            {
                _lastDeploy.Labelled(last.Box, Name(last.Outcome)).Set(last.Latest.ToUnixTimeSeconds());
            }

            _state.EndScrape();
            _lastProbe.EndScrape();
            _servedExpiry.EndScrape();
            _deploys.EndScrape();
            _lastDeploy.EndScrape();
            foreach (var (state, count) in counts)
            {
                _endpoints.WithLabels(state).Set(count);
            }

            _boxes.WithLabels("enabled").Set(rows.Boxes.Count(b => b.Enabled));
            _boxes.WithLabels("disabled").Set(rows.Boxes.Count(b => !b.Enabled));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>As the API names outcomes.</summary>
    private static string Name(DeploymentOutcome outcome) => outcome switch
    {
        DeploymentOutcome.Running => "running",
        DeploymentOutcome.Succeeded => "succeeded",
        DeploymentOutcome.Failed => "failed",
        DeploymentOutcome.RolledBack => "rolled-back",
        _ => "unfinished",
    };
}
