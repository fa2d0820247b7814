using System.Globalization;
using System.Net;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// The DNS server dns-01 validation asks for <c>_acme-challenge</c> TXT records (the setting <c>acme.dns-resolver</c>,
/// ADDRESS[:PORT]); unset, the system's resolvers. A lab's own DNS (the router, Pi-hole, AdGuard, Unbound) is usually
/// the one the boxes update, and a public resolver never sees a home.arpa zone.
/// </summary>
public sealed class AcmeDnsResolver(PanelStorage storage)
{
    public const string SettingName = "acme.dns-resolver";

    public const int DefaultPort = 53;

    /// <summary>The operator's resolver, or null for the system's.</summary>
    public async Task<IPEndPoint?> GetAsync(CancellationToken cancellationToken = default)
    {
        var text = await PanelSettings.ReadAsync(storage, SettingName, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(text) ? null : Parse(text) is { IsSuccess: true } parsed ? parsed.Value : null;
    }

    /// <summary>ADDRESS, ADDRESS:PORT, or [IPv6]:PORT (a name would need DNS to find the DNS server, so it is refused).</summary>
    public static Result<IPEndPoint> Parse(string text)
    {
        var value = (text ?? "").Trim();
        IPEndPoint? endpoint = null;
        if (IPAddress.TryParse(value, out var bare) && !value.StartsWith('['))
        {
            endpoint = new IPEndPoint(bare, DefaultPort);
        }
        else if (IPEndPoint.TryParse(value, out var withPort) && (withPort.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork || value.StartsWith('[')))
        {
            endpoint = withPort.Port == 0 && !value.EndsWith(":0", StringComparison.Ordinal) ? new IPEndPoint(withPort.Address, DefaultPort) : withPort;
        }

        if (endpoint is null || endpoint.Port is < 1 or > 65535 || endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any))
        {
            return Result.Failure<IPEndPoint>(
                $"\"{Display.Literal(value, 80)}\" is not a DNS server's address: give ADDRESS or ADDRESS:PORT (for example 192.168.1.1, 192.168.1.1:5353 or [fd00::1]:53).");
        }

        return Result.Success(endpoint);
    }

    /// <summary>Sets the resolver (null or empty: back to the system's); returns it as stored, or "" for the system's.</summary>
    public async Task<Result<string>> SetAsync(string? value, CancellationToken cancellationToken = default)
    {
        var normal = "";
        if (!string.IsNullOrWhiteSpace(value))
        {
            var parsed = Parse(value);
            if (!parsed.IsSuccess)
            {
                return Result.Failure<string>(parsed.Error!);
            }

            normal = Describe(parsed.Value);
        }

        await PanelSettings.WriteAsync(storage, SettingName, normal, cancellationToken).ConfigureAwait(false);
        return Result.Success(normal);
    }

    public static string Describe(IPEndPoint? endpoint) => endpoint is null ? "the system resolver"
        : endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{endpoint.Address}]:{endpoint.Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{endpoint.Address}:{endpoint.Port}");
}
