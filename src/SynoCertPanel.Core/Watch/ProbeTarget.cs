using System.Globalization;
using System.Net;

namespace SynoCertPanel.Core.Watch;

/// <summary>
/// One TLS endpoint to probe: where to connect (<see cref="Host"/>, a DNS name or an IP address, and
/// <see cref="Port"/>) and which name to ask for in SNI. <see cref="ServerName"/> is null for an IP
/// address: RFC 6066 §3 forbids literal addresses in SNI, so a client reaching a box by IP sends none.
/// </summary>
public sealed record ProbeTarget
{
    public ProbeTarget(string host, int port, string? serverName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Host = Unbracket(host.Trim());
        Port = port;
        ServerName = string.IsNullOrWhiteSpace(serverName) ? null : serverName.Trim().TrimEnd('.');
    }

    public string Host { get; }

    public int Port { get; }

    public string? ServerName { get; }

    /// <summary>The name a client connecting here checks against the certificate: the SNI name, else the address.</summary>
    public string NameProbed => ServerName ?? Host;

    /// <summary>The endpoint as a client reaches it: SNI for a DNS name, none for an IP address.</summary>
    public static ProbeTarget For(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var text = Unbracket(host.Trim());
        return new ProbeTarget(text, port, IPAddress.TryParse(text, out _) ? null : text);
    }

    public override string ToString()
    {
        var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        var endpoint = string.Create(CultureInfo.InvariantCulture, $"{host}:{Port}");
        return ServerName is null || ServerName == Host ? endpoint : $"{endpoint} (SNI {ServerName})";
    }

    private static string Unbracket(string host) =>
        host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
}
