namespace SynoCertPanel.Core.Watch;

/// <summary>Limits of one probe. Every limit ends the probe with a failure value, never a hang.</summary>
public sealed record ProbeOptions
{
    /// <summary>DNS lookup and TCP connect together; a box on the LAN answers in milliseconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The whole TLS handshake, however the server paces its bytes.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Bytes the server may send before the handshake ends. A real handshake with a long chain is a few
    /// KiB (OpenSSL's own limit for the certificate list is 100 KiB); past this the server is not a TLS server.
    /// </summary>
    public int MaxHandshakeBytes { get; init; } = 256 * 1024;

    public static ProbeOptions Default { get; } = new();
}
