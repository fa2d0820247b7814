namespace SynoCertPanel.Core.Watch;

/// <summary>One TLS handshake to an endpoint, recording what it serves. The seam the runner and the deploy check call.</summary>
public interface IEndpointProbe
{
    /// <summary>Never throws for a network failure (that is a <see cref="ProbeFailure"/>); throws only when cancelled.</summary>
    Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken = default);
}
