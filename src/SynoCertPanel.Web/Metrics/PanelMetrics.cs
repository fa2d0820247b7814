using Prometheus;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Metrics;

/// <summary>
/// The panel's own metric registry. Not prometheus-net's static default registry: that one also collects the process's
/// .NET meters and event counters, and it would be shared by every panel a test process starts.
/// </summary>
public sealed class PanelMetrics
{
    public const string Path = "/metrics";

    /// <summary>The classic Prometheus text format, version 0.0.4, which every Prometheus reads.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public PanelMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Handshakes = new TlsHandshakeMetrics(Factory);
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    /// <summary>Counted by the listener's connection middleware (<see cref="ListenerHosting.UseSwappableCertificate"/>).</summary>
    public TlsHandshakeMetrics Handshakes { get; }
}
