namespace SynoCertPanel.Core.Boxes;

/// <summary>What an endpoint served in one handshake: the leaf's SHA-256 (hex), or why there was none.</summary>
public sealed record ServedLeaf(string? Sha256Fingerprint, string? Problem);

/// <summary>One TLS handshake to learn which certificate an endpoint serves, for a deploy's verification.</summary>
public interface IServedCertificateProbe
{
    Task<ServedLeaf> ProbeAsync(string host, int port, string? serverName, CancellationToken cancellationToken);
}
