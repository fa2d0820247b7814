using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// Where the panel listens: the HTTPS port, the plain-HTTP port that only redirects (0 = off), and the addresses
/// both are bound on. Port 0 for HTTPS is accepted only from code (tests ask the system for a free port).
/// </summary>
public sealed partial record ListenerBinding(int HttpsPort, int HttpPort, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>More addresses than a NAS has interfaces would only be a typo; "every address" is 0.0.0.0 or ::.</summary>
    public const int MaxAddresses = 4;

    public IEnumerable<IPEndPoint> HttpsEndpoints => Addresses.Select(a => new IPEndPoint(a, HttpsPort));

    public IEnumerable<IPEndPoint> HttpEndpoints => HttpPort > 0 ? Addresses.Select(a => new IPEndPoint(a, HttpPort)) : [];

    public string AddressText => string.Join(", ", Addresses.Select(a => a.ToString()));

    public bool Equals(ListenerBinding? other) =>
        other is not null && HttpsPort == other.HttpsPort && HttpPort == other.HttpPort && Addresses.SequenceEqual(other.Addresses);

    public override int GetHashCode() => HashCode.Combine(HttpsPort, HttpPort, Addresses.Count);

    public override string ToString() => $"HTTPS {HttpsPort}, HTTP {(HttpPort == 0 ? "off" : HttpPort.ToString(CultureInfo.InvariantCulture))} on {AddressText}";

    /// <summary>Reads what an admin typed; every problem becomes one sentence, nothing is guessed.</summary>
    public static Result<ListenerBinding> Parse(string? httpsPort, string? httpPort, string? addresses)
    {
        var https = ParsePort(httpsPort, "The HTTPS port", allowZero: false);
        if (!https.IsSuccess)
        {
            return Result.Failure<ListenerBinding>(https.Error!);
        }

        var http = ParsePort(httpPort, "The HTTP redirect port", allowZero: true);
        if (!http.IsSuccess)
        {
            return Result.Failure<ListenerBinding>(http.Error!);
        }

        var parsed = ParseAddresses(addresses);
        return parsed.IsSuccess ? Create(https.Value, http.Value, parsed.Value) : Result.Failure<ListenerBinding>(parsed.Error!);
    }

    /// <summary>Checks a binding built in code: ports in range and different, addresses a listener can use.</summary>
    public static Result<ListenerBinding> Create(int httpsPort, int httpPort, IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var problem = httpsPort is < 0 or > 65535 ? $"The HTTPS port {httpsPort} is not a port number (1–65535)."
            : httpPort is < 0 or > 65535 ? $"The HTTP redirect port {httpPort} is not a port number (1–65535, or 0 to turn it off)."
            : httpsPort != 0 && httpsPort == httpPort ? $"The HTTPS and the HTTP redirect port are both {httpsPort}; one port serves one of them."
            : addresses.Count == 0 ? "Give at least one address to listen on (0.0.0.0 for every IPv4 address, :: for every address)."
            : addresses.Count > MaxAddresses ? $"At most {MaxAddresses} addresses; use 0.0.0.0 or :: to listen on every address."
            : addresses.Distinct().Count() != addresses.Count ? "An address is listed twice."
            : addresses.FirstOrDefault(a => !IsUnicastCandidate(a)) is { } bad ? $"{bad} cannot be listened on (multicast or broadcast)."
            : OverlapsWildcard(addresses) is { } wildcard ? $"{wildcard} already includes every address; list it alone."
            : null;
        return problem is null ? Result.Success(new ListenerBinding(httpsPort, httpPort, addresses.ToList())) : Result.Failure<ListenerBinding>(problem);
    }

    /// <summary>
    /// One address or several, separated by commas or spaces. Strict on purpose: IPAddress.TryParse also accepts
    /// "1" (0.0.0.1), "127.1" and "0x7f.1", which an admin never means; only dotted quads and IPv6 without a zone.
    /// </summary>
    public static Result<IReadOnlyList<IPAddress>> ParseAddresses(string? text)
    {
        var parts = (text ?? string.Empty).Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return Result.Failure<IReadOnlyList<IPAddress>>("Give at least one address to listen on (0.0.0.0 for every IPv4 address, :: for every address).");
        }

        var addresses = new List<IPAddress>();
        foreach (var part in parts)
        {
            var address = ParseAddress(part);
            if (address is null)
            {
                return Result.Failure<IReadOnlyList<IPAddress>>(
                    $"\"{Display.Literal(part, 60)}\" is not an IP address (write IPv4 as four numbers 0–255, e.g. 192.168.1.10, or an IPv6 address such as ::1).");
            }

            addresses.Add(address);
        }

        return Result.Success<IReadOnlyList<IPAddress>>(addresses);
    }

    private static IPAddress? ParseAddress(string text)
    {
        if (text.Length > 45 || !IPAddress.TryParse(text, out var address))
        {
            return null;
        }

        return address.AddressFamily switch
        {
            // The round trip rejects leading zeros ("010.0.0.1" is octal to some tools).
            AddressFamily.InterNetwork when DottedQuad().IsMatch(text) && address.ToString() == text => address,
            AddressFamily.InterNetworkV6 when text.Contains(':', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal) && address.ScopeId == 0 => address,
            _ => null,
        };
    }

    private static Result<int> ParsePort(string? text, string name, bool allowZero)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        return trimmed.Length is > 0 and <= 5 && int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port <= 65535 && (allowZero || port > 0)
            ? Result.Success(port)
            : Result.Failure<int>($"{name} \"{Display.Literal(trimmed, 20)}\" is not a port number (1–65535{(allowZero ? ", or 0 to turn it off" : string.Empty)}).");
    }

    private static bool IsUnicastCandidate(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? !address.IsIPv6Multicast
        : address.AddressFamily == AddressFamily.InterNetwork && !address.Equals(IPAddress.Broadcast) && address.GetAddressBytes()[0] is < 224;

    private static IPAddress? OverlapsWildcard(IReadOnlyList<IPAddress> addresses) =>
        addresses.Count > 1 ? addresses.FirstOrDefault(a => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any)) : null;

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex DottedQuad();
}
