using System.Globalization;
using System.Net.Sockets;

namespace SynoCertPanel.Core.Watch;

/// <summary>Turns what went wrong during a probe into a <see cref="ProbeFailure"/>: a kind and one sentence for the operator.</summary>
internal static class ProbeFailures
{
    public static ProbeFailure Connect(ProbeTarget target, SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => new ProbeFailure(ProbeFailureKind.Refused,
            $"{target} refused the connection: nothing listens on port {target.Port.ToString(CultureInfo.InvariantCulture)} (is the service running?)."),
        SocketError.TimedOut => new ProbeFailure(ProbeFailureKind.Timeout,
            $"{target} did not accept a connection in time: the box is down or a firewall drops the connection."),
        _ => new ProbeFailure(ProbeFailureKind.Unreachable,
            $"{target} cannot be reached ({Describe(e.SocketErrorCode)}): check that the box is on and the address is right."),
    };

    public static ProbeFailure Timeout(ProbeTarget target, HandshakeRecorder recorder, string limit)
    {
        if (recorder.Prefix.Length > 0 && !LooksLikeTls(recorder.Prefix))
        {
            return NotTls(target, recorder.Prefix);
        }

        var received = recorder.BytesReceived == 0
            ? "it accepted the connection but sent nothing"
            : $"it sent {recorder.BytesReceived.ToString(CultureInfo.InvariantCulture)} bytes and stopped";
        return new ProbeFailure(ProbeFailureKind.Timeout,
            $"{target} did not finish the TLS handshake within {limit}: {received}.");
    }

    public static ProbeFailure Handshake(ProbeTarget target, Exception e, HandshakeRecorder recorder)
    {
        if (recorder.LimitReached)
        {
            return new ProbeFailure(ProbeFailureKind.Handshake,
                $"{target} sent more than {recorder.BytesReceived.ToString(CultureInfo.InvariantCulture)} bytes without finishing the TLS handshake; the probe stopped reading.");
        }

        var prefix = recorder.Prefix;
        if (prefix.Length > 0 && !LooksLikeTls(prefix))
        {
            return NotTls(target, prefix);
        }

        var alert = TlsAlert.FromRecord(prefix) ?? TlsAlert.FromOpenSslText(MessagesOf(e));
        if (alert is not null)
        {
            // No shared version or cipher suite: most often a box that still speaks only TLS 1.0/1.1, which this
            // machine's OpenSSL refuses at its security level, as browsers do.
            var hint = alert.Code is 40 or 70 or 71
                ? ": it shares no TLS version or cipher suite with the panel, which refuses TLS 1.0/1.1 and SHA-1 like current browsers"
                : string.Empty;
            return new ProbeFailure(ProbeFailureKind.Handshake, $"{target} refused the TLS handshake with the alert \"{alert}\"{hint}.", alert);
        }

        return prefix.Length == 0
            ? new ProbeFailure(ProbeFailureKind.Handshake, $"{target} closed the connection without answering the TLS hello.")
            : new ProbeFailure(ProbeFailureKind.Handshake, $"The TLS handshake with {target} failed: {Innermost(e).Message.TrimEnd('.')}.");
    }

    /// <summary>The legacy second try failed too: the server's alert to it says most, else both reasons are given.</summary>
    public static ProbeFailure LegacyRefused(ProbeTarget target, ProbeFailure modern, Pki.Tls.LegacyHandshake legacy)
    {
        if (legacy.AlertReceived is { } code)
        {
            var alert = new TlsAlert(code);
            var hint = code is 40 or 70 or 71
                ? ": it shares no TLS version or cipher suite with the panel, not even TLS 1.0 to 1.2 with legacy cipher suites"
                : string.Empty;
            return new ProbeFailure(ProbeFailureKind.Handshake, $"{target} refused the TLS handshake with the alert \"{alert}\"{hint}.", alert);
        }

        return modern with { Message = $"{modern.Message} A second try with TLS 1.0 to 1.2 and legacy cipher suites failed too: {legacy.Error}." };
    }

    private static ProbeFailure NotTls(ProbeTarget target, ReadOnlySpan<byte> prefix) => new(ProbeFailureKind.NotTls,
        $"{target} answered with {Show(prefix)}, which is not TLS: the port serves something else (plain HTTP?).");

    /// <summary>A TLS record starts with its content type (20–24) and the major version 3.</summary>
    private static bool LooksLikeTls(ReadOnlySpan<byte> prefix) =>
        prefix[0] is >= 20 and <= 24 && (prefix.Length < 2 || prefix[1] == 3);

    private static string Show(ReadOnlySpan<byte> prefix)
    {
        var line = new System.Text.StringBuilder();
        foreach (var b in prefix)
        {
            if (b is (byte)'\r' or (byte)'\n' || line.Length == 40)
            {
                break;
            }

            if (b is < 0x20 or > 0x7e)
            {
                return $"the bytes {Convert.ToHexString(prefix[..Math.Min(prefix.Length, 8)])}";
            }

            line.Append((char)b);
        }

        return $"\"{line}\"";
    }

    private static string MessagesOf(Exception e)
    {
        var text = new System.Text.StringBuilder();
        for (var current = e; current is not null; current = current.InnerException)
        {
            text.Append(current.Message).Append(' ');
        }

        return text.ToString();
    }

    private static Exception Innermost(Exception e)
    {
        var current = e;
        while (current.InnerException is not null)
        {
            current = current.InnerException;
        }

        return current;
    }

    public static string Describe(SocketError error) => error switch
    {
        SocketError.HostNotFound => "host not found",
        SocketError.NoData => "no address for the name",
        SocketError.TryAgain => "the DNS server failed to answer",
        SocketError.HostUnreachable => "no route to the host",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.NetworkDown => "the network is down",
        SocketError.AddressNotAvailable => "address not available",
        _ => error.ToString(),
    };
}
