using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Core.Watch;

/// <summary>
/// What one TLS handshake found: the chain exactly as the server sent it (leaf first, DER of each), the
/// protocol and cipher suite negotiated, how long it took — or why there is no chain. Nothing here is
/// judged: <see cref="EndpointVerdict"/> does that.
/// </summary>
public sealed record ProbeResult
{
    public required ProbeTarget Target { get; init; }

    public required DateTimeOffset ProbedAt { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>The address the TCP connection reached; null when none was reached.</summary>
    public IPAddress? RemoteAddress { get; init; }

    /// <summary>DER of each certificate in the order sent; empty when the handshake failed.</summary>
    public IReadOnlyList<byte[]> ServedChain { get; init; } = [];

    public SslProtocols Protocol { get; init; }

    public TlsCipherSuite? CipherSuite { get; init; }

    /// <summary>Bytes the server sent during the handshake.</summary>
    public long BytesReceived { get; init; }

    public ProbeFailure? Failure { get; init; }

    /// <summary>
    /// Set when only the legacy client (TLS 1.0–1.2, legacy cipher suites) completed the handshake: why the panel's own
    /// TLS stack, which refuses what current clients refuse, could not. The box then needs settings browsers no longer accept.
    /// </summary>
    public ProbeFailure? ModernFailure { get; init; }

    public bool Succeeded => Failure is null;

    /// <summary>The served certificates parsed; a certificate the engine cannot read is reported, not dropped.</summary>
    public IReadOnlyList<Result<Certificate>> ParseChain() => [.. ServedChain.Select(der => Certificate.FromDer(der))];

    public static ProbeResult Failed(ProbeTarget target, DateTimeOffset probedAt, TimeSpan elapsed, ProbeFailure failure,
        IPAddress? remoteAddress = null, long bytesReceived = 0) => new()
        {
            Target = target,
            ProbedAt = probedAt,
            Elapsed = elapsed,
            Failure = failure,
            RemoteAddress = remoteAddress,
            BytesReceived = bytesReceived,
        };
}
