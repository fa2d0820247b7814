using System.Net;
using System.Net.Sockets;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Pki.Profiles;

/// <summary>An IP range in CIDR form (192.168.0.0/16, fd00::/8).</summary>
public sealed record IpRange(IPAddress Network, int PrefixLength)
{
    public static Result<IpRange> Parse(string? text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || trimmed.Length > 64)
        {
            return Fail(trimmed, "is not an IP range in CIDR form (for example 192.168.0.0/16)");
        }

        var address = SanParser.ParseIpAddress(trimmed[..slash]);
        if (!address.IsSuccess)
        {
            return Fail(trimmed, "does not start with a valid IP address");
        }

        var ip = IPAddress.Parse(address.Value.Value);
        var maxPrefix = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefixText = trimmed[(slash + 1)..];
        if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
            || !int.TryParse(prefixText, out var prefix) || prefix > maxPrefix)
        {
            return Fail(trimmed, $"has a prefix length that is not a number from 0 to {maxPrefix}");
        }

        var bytes = ip.GetAddressBytes();
        var mask = MaskBytes(bytes.Length, prefix);
        if (bytes.Where((b, i) => (b & ~mask[i]) != 0).Any())
        {
            return Fail(trimmed, "has bits set after the prefix length; write the network address (e.g. 192.168.1.0/24)");
        }

        return Result.Success(new IpRange(ip, prefix));
    }

    /// <summary>The name-constraint encoding: address followed by mask (8 or 32 bytes; RFC 5280 4.2.1.10).</summary>
    public byte[] ToAddressAndMask()
    {
        var bytes = Network.GetAddressBytes();
        return [.. bytes, .. MaskBytes(bytes.Length, PrefixLength)];
    }

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var network = Network.GetAddressBytes();
        var candidate = address.GetAddressBytes();
        if (network.Length != candidate.Length)
        {
            return false;
        }

        var mask = MaskBytes(network.Length, PrefixLength);
        return !candidate.Where((b, i) => (b & mask[i]) != network[i]).Any();
    }

    public override string ToString() => $"{Network}/{PrefixLength}";

    internal static byte[] MaskBytes(int length, int prefix)
    {
        var mask = new byte[length];
        for (var i = 0; i < length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            mask[i] = (byte)(0xFF << (8 - bits));
        }

        return mask;
    }

    private static Result<IpRange> Fail(string entry, string reason) =>
        Result.Failure<IpRange>($"\"{Display.Literal(entry)}\" {reason}.");
}

/// <summary>
/// Permitted subtrees for a root: a leaked key of a constrained root cannot impersonate the wider web.
/// Chrome (112+ for local anchors), Apple and NSS enforce them.
/// </summary>
public sealed record NameConstraints(IReadOnlyList<string> PermittedDnsSuffixes, IReadOnlyList<IpRange> PermittedIpRanges)
{
    public static NameConstraints None { get; } = new([], []);

    /// <summary>The name a permitted subtree gives for e-mail addresses and URIs to shut them out (RFC 2606 reserves it).</summary>
    public const string ClosedNameForm = "invalid";

    public bool IsEmpty => PermittedDnsSuffixes.Count == 0 && PermittedIpRanges.Count == 0;

    /// <summary>
    /// Leaves below may carry no e-mail address (SAN or subject) and no URI. RFC 5280 §4.2.1.10 leaves a name form
    /// without a subtree unconstrained, so a root permitting only DNS and IP names would still vouch for any URI or
    /// mailbox. Encoded as a permitted subtree of <see cref="ClosedNameForm"/> for each, which no real name matches
    /// (an empty excluded subtree would read as "all" but OpenSSL ignores it). directoryName stays open: verifiers
    /// check the leaf's subject against it, and TLS clients match hosts on the SANs only (CA/B BR 7.1.2.10.8 asks
    /// for rfc822Name to be shut when the CA cannot issue for e-mail protection).
    /// </summary>
    public bool ClosesEmailAndUri { get; init; }

    /// <summary>
    /// A root that lists DNS suffixes but no IP range may certify no IP address (and one listing only IP ranges no
    /// DNS name): otherwise RFC 5280 leaves the unlisted form open and the constraint protects nothing for it.
    /// Encoded as the CA/B Baseline Requirements ask (7.1.2.5.2): the whole IPv4 and IPv6 space, or a zero-length
    /// dNSName, in the excluded subtrees, which Chrome, NSS, Apple and OpenSSL all honour.
    /// </summary>
    public bool ClosesIpAddresses { get; init; }

    /// <inheritdoc cref="ClosesIpAddresses"/>
    public bool ClosesDnsNames { get; init; }

    /// <summary>The constraints in a line: "DNS: lan, home.arpa; IP: none".</summary>
    public string Describe() =>
        $"DNS: {Describe(PermittedDnsSuffixes, ClosesDnsNames)}; IP: {Describe(PermittedIpRanges.Select(r => r.ToString()).ToList(), ClosesIpAddresses)}";

    private static string Describe(IReadOnlyList<string> permitted, bool closed) =>
        permitted.Count > 0 ? string.Join(", ", permitted) : closed ? "none" : "any";

    /// <summary>The home-lab default: home.arpa, lan, local, and the private IPv4/IPv6 ranges.</summary>
    public static NameConstraints HomeLab { get; } = Create(["home.arpa", "lan", "internal", "localhost"],
        ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "fc00::/7", "::1/128"]).Value;

    public static Result<NameConstraints> Create(IEnumerable<string> dnsSuffixes, IEnumerable<string> ipRanges)
    {
        ArgumentNullException.ThrowIfNull(dnsSuffixes);
        ArgumentNullException.ThrowIfNull(ipRanges);
        var suffixes = new List<string>();
        foreach (var suffix in dnsSuffixes)
        {
            var name = SanParser.ParseHostName((suffix ?? string.Empty).TrimStart('.'), allowWildcard: false);
            if (!name.IsSuccess)
            {
                return Result.Failure<NameConstraints>($"Permitted DNS suffix: {name.Error}");
            }

            suffixes.Add(name.Value.Ascii);
        }

        var ranges = new List<IpRange>();
        foreach (var text in ipRanges)
        {
            var range = IpRange.Parse(text);
            if (!range.IsSuccess)
            {
                return Result.Failure<NameConstraints>($"Permitted IP range: {range.Error}");
            }

            ranges.Add(range.Value);
        }

        return Result.Success(new NameConstraints(suffixes.Distinct().ToList(), ranges.Distinct().ToList())
        {
            ClosesEmailAndUri = suffixes.Count > 0 || ranges.Count > 0,
            ClosesIpAddresses = suffixes.Count > 0 && ranges.Count == 0,
            ClosesDnsNames = ranges.Count > 0 && suffixes.Count == 0,
        });
    }

    /// <summary>Whether a leaf's SAN falls inside these constraints (true when no constraint covers its kind).</summary>
    public bool Permits(SubjectAlternativeName san)
    {
        ArgumentNullException.ThrowIfNull(san);
        switch (san.Kind)
        {
            case SanKind.Dns when PermittedDnsSuffixes.Count > 0:
                var name = san.IsWildcard ? san.Value[2..] : san.Value;
                // Constraints read from other CAs may be written ".home.arpa" (OpenSSL configs): as OpenSSL and
                // NSS read it, that permits only names below home.arpa. Case never matters in DNS (RFC 4343).
                return PermittedDnsSuffixes.Any(s => s.StartsWith('.')
                    ? (san.IsWildcard ? san.Value[1..] : name).EndsWith(s, StringComparison.OrdinalIgnoreCase)
                    : string.Equals(name, s, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + s, StringComparison.OrdinalIgnoreCase));
            case SanKind.Dns when ClosesDnsNames:
                return false;
            case SanKind.IpAddress when PermittedIpRanges.Count > 0:
                // As verifiers do: once any IP range is permitted, an address outside all of them (an IPv6
                // address when only IPv4 ranges are listed, too) is refused.
                var ip = IPAddress.Parse(san.Value);
                return PermittedIpRanges.Any(r => r.Contains(ip));
            case SanKind.IpAddress when ClosesIpAddresses:
                return false;
            case SanKind.Email or SanKind.Uri:
                return !ClosesEmailAndUri;
            default:
                return true;
        }
    }
}
