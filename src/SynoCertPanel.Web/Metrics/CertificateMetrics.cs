using Prometheus;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Metrics;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Metrics;

/// <summary>
/// Per certificate of the inventory: the seconds until it expires and its state as the list shows it, set from one plain
/// read of the storage right before each scrape is written. Series of deleted certificates, and of those whose labels
/// changed (a new description, another default), are removed so Prometheus sees them end.
/// </summary>
public sealed class CertificateMetrics : IDisposable
{
    private static readonly string[] ExpiryLabels = ["id", "common_name", "description", "issuer", "is_ca", "is_default"];

    private readonly PanelStorage _storage;
    private readonly TimeProvider _time;
    private readonly Gauge _expiry;
    private readonly Gauge _state;
    private readonly Gauge _count;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<int, string[]> _expirySeries = [];
    private Dictionary<int, string[]> _stateSeries = [];

    public CertificateMetrics(PanelMetrics metrics, PanelStorage storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _storage = storage;
        _time = time;
        _expiry = metrics.Factory.CreateGauge("synocertpanel_certificate_expiry_seconds",
            "Seconds until the certificate expires (negative once it has), per certificate of the inventory.", ExpiryLabels);
        _state = metrics.Factory.CreateGauge("synocertpanel_certificate_state",
            "1 for the certificate's state as the certificate list shows it: valid, expiring (under 30 days left), expired or replaced (renewed).",
            ["id", "state"]);
        _count = metrics.Factory.CreateGauge("synocertpanel_certificates", "Certificates in the inventory, by state.", ["state"]);
        metrics.Registry.AddBeforeCollectCallback(UpdateAsync);
    }

    public void Dispose() => _gate.Dispose();

    private async Task UpdateAsync(CancellationToken cancellationToken)
    {
        // Two scrapes at once would interleave their removals; the second waits and then writes fresh values.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = await CertificateExpiryRows.ReadAsync(_storage.Data, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var expirySeries = new Dictionary<int, string[]>(rows.Count);
            var stateSeries = new Dictionary<int, string[]>(rows.Count);
            var counts = Enum.GetValues<CertificateState>().ToDictionary(s => s, _ => 0);
            foreach (var row in rows)
            {
                var id = row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var state = row.StateAt(now);
                counts[state]++;
                expirySeries[row.Id] = Replace(_expiry, _expirySeries, row.Id,
                    [id, row.CommonName ?? CommonNameOf(row.Subject), row.Description, CommonNameOf(row.Issuer), Flag(row.IsCertificateAuthority), Flag(row.IsDefault)])
                    .Set(Math.Round((row.NotAfter - now).TotalSeconds));
                stateSeries[row.Id] = Replace(_state, _stateSeries, row.Id, [id, CertificateStates.Name(state)]).Set(1);
            }

            RemoveGone(_expiry, _expirySeries, expirySeries);
            RemoveGone(_state, _stateSeries, stateSeries);
            _expirySeries = expirySeries;
            _stateSeries = stateSeries;
            foreach (var (state, count) in counts)
            {
                _count.WithLabels(CertificateStates.Name(state)).Set(count);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The series for <paramref name="labels"/>, after removing this certificate's previous series if its labels changed.</summary>
    private static LabelledGauge Replace(Gauge gauge, Dictionary<int, string[]> previous, int id, string[] labels)
    {
        if (previous.TryGetValue(id, out var old) && !old.AsSpan().SequenceEqual(labels))
        {
            gauge.RemoveLabelled(old);
        }

        return new LabelledGauge(gauge.WithLabels(labels), labels);
    }

    private static void RemoveGone(Gauge gauge, Dictionary<int, string[]> previous, Dictionary<int, string[]> current)
    {
        foreach (var (id, labels) in previous)
        {
            if (!current.ContainsKey(id))
            {
                gauge.RemoveLabelled(labels);
            }
        }
    }

    private static string CommonNameOf(string distinguishedName) => Pki.Names.DistinguishedName.CommonNameOf(distinguishedName) ?? distinguishedName;

    private static string Flag(bool value) => value ? "true" : "false";

    private readonly record struct LabelledGauge(Gauge.Child Child, string[] Labels)
    {
        public string[] Set(double value)
        {
            Child.Set(value);
            return Labels;
        }
    }
}
