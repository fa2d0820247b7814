using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Core.Watch;

/// <summary>What the panel expects an endpoint to serve; the probed name itself comes with the probe.</summary>
public sealed record EndpointExpectation
{
    /// <summary>The latest certificate issued here for the box; null when none was (imported, public CA, watch only).</summary>
    public Certificate? Latest { get; init; }

    /// <summary>The DNS names and addresses the box is reached at; the served certificate should cover each.</summary>
    public IReadOnlyList<string> BoxAddresses { get; init; } = [];

    /// <summary>The home CA roots held here.</summary>
    public IReadOnlyList<Certificate> HomeRoots { get; init; } = [];

    /// <summary>Whether a chain to one of the machine's roots (a public CA) counts as trusted too.</summary>
    public bool TrustSystemRoots { get; init; } = true;

    public WatchThresholds Thresholds { get; init; } = WatchThresholds.Default;
}
