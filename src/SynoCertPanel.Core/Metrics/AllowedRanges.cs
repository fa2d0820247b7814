using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Metrics;

/// <summary>
/// The address ranges that may read /metrics without a token: CIDR networks ("192.168.1.0/24", "fd00::/8") or single
/// addresses, separated by commas, spaces or line breaks. Parsed strictly, because a typo here opens the metrics to the
/// wrong machines: IPv4 only in four plain decimal parts (IPAddress.Parse would read "10.1" as 10.0.0.1 and "010.0.0.1" as
/// octal elsewhere), no zone ids, and no address bits past the prefix ("10.0.0.1/8" is refused, naming 10.0.0.0/8).
/// </summary>
public static class AllowedRanges
{
    public const int MaxRanges = 50;

    public static Result<IReadOnlyList<IPNetwork>> Parse(string? text)
    {
        var parts = (text ?? string.Empty).Split([',', ' ', '\t', '\r', '\n', ';'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > MaxRanges)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"{parts.Length} address ranges were given; at most {MaxRanges} are allowed."));
        }

        var ranges = new List<IPNetwork>();
        foreach (var part in parts)
        {
            var range = ParseOne(part);
            if (!range.IsSuccess)
            {
                return Fail(range.Error!);
            }

            if (!ranges.Contains(range.Value))
            {
                ranges.Add(range.Value);
            }
        }

        return Result.Success<IReadOnlyList<IPNetwork>>(ranges);
    }

    /// <summary>The ranges as <see cref="Parse"/> reads them back: "192.168.1.0/24, fd00::/8".</summary>
    public static string Format(IEnumerable<IPNetwork> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        return string.Join(", ", ranges.Select(r => r.ToString()));
    }

    /// <summary>Whether <paramref name="address"/> lies in one of the ranges; an IPv4 address seen as ::ffff:a.b.c.d counts as a.b.c.d.</summary>
    public static bool Contains(IEnumerable<IPNetwork> ranges, IPAddress? address)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (address is null)
        {
            return false;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return ranges.Any(r => r.Contains(plain));
    }

    private static Result<IPNetwork> ParseOne(string text)
    {
        var shown = Pki.Display.Literal(text, 60);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        var address = ParseAddress(addressText);
        if (address is null)
        {
            return Result.Failure<IPNetwork>(
                $"\"{shown}\" is not an address range: write a network as ADDRESS/PREFIX (192.168.1.0/24, fd00::/8) or a single address (192.168.1.20).");
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit) || (prefixText.Length > 1 && prefixText[0] == '0')
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix)
            {
                return Result.Failure<IPNetwork>(string.Create(CultureInfo.InvariantCulture,
                    $"\"{shown}\" has no valid prefix length: after the / comes a whole number from 0 to {maxPrefix}."));
            }
        }

        var network = new IPNetwork(Masked(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            return Result.Failure<IPNetwork>(
                $"\"{shown}\" sets address bits past the /{prefix.ToString(CultureInfo.InvariantCulture)} prefix; did you mean {network}?");
        }

        return Result.Success(network);
    }

    private static IPAddress? ParseAddress(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            // Zone ids (fe80::1%eth0) name an interface of this machine, not a range of clients.
            return !text.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? v6
                : null;
        }

        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0')))
        {
            return null;
        }

        var bytes = parts.Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        return bytes.All(b => b <= 255) ? new IPAddress(bytes.Select(b => (byte)b).ToArray()) : null;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private static Result<IReadOnlyList<IPNetwork>> Fail(string message) => Result.Failure<IReadOnlyList<IPNetwork>>(message);
}
