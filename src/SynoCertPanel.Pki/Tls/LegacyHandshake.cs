using System.Security.Authentication;

namespace SynoCertPanel.Pki.Tls;

/// <summary>
/// What a handshake by <see cref="LegacyTlsClient"/> learnt: the version and cipher suite the server chose and its chain as
/// sent (DER, leaf first) — or why it failed, with the alert the server sent when it sent one.
/// </summary>
public sealed record LegacyHandshake
{
    public SslProtocols Protocol { get; init; }

    /// <summary>The IANA code of the cipher suite (the values of System.Net.Security.TlsCipherSuite).</summary>
    public int CipherSuite { get; init; }

    public IReadOnlyList<byte[]> ServedChain { get; init; } = [];

    /// <summary>The description code of the fatal alert the server sent (RFC 5246 §7.2), when it sent one.</summary>
    public int? AlertReceived { get; init; }

    /// <summary>Why the handshake failed, for the operator; null when it succeeded.</summary>
    public string? Error { get; init; }

    public bool Succeeded => Error is null;

    public static LegacyHandshake Failed(string error, int? alertReceived = null) => new() { Error = error, AlertReceived = alertReceived };
}
