using System.Net;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Pki.Lint;

/// <summary>
/// Whether a certificate's SANs cover the name a client connects to, as RFC 6125 §6.4 and browsers match:
/// a wildcard stands for exactly one whole left-most label; an IP address matches only iPAddress entries,
/// never a DNS entry that spells it (RFC 6125 §1.7.2, RFC 2818 §3.1); the CN is never consulted.
/// </summary>
internal static class HostMatcher
{
    public static bool Covers(IReadOnlyList<SubjectAlternativeName> names, string host)
    {
        var text = host.Trim();
        if (text.Length > 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        var ip = SanParser.ParseIpAddress(text);
        if (ip.IsSuccess)
        {
            var address = IPAddress.Parse(ip.Value.Value);
            return names.Any(n => n.Kind == SanKind.IpAddress && IPAddress.Parse(n.Value).Equals(address));
        }

        var name = SanParser.ParseHostName(text, allowWildcard: false);
        return name.IsSuccess && names.Any(n => n.Kind == SanKind.Dns && Matches(n.Value, name.Value.Ascii));
    }

    private static bool Matches(string pattern, string host)
    {
        // A pattern we would refuse to issue (*, *.com, f*o.x, raw Unicode) is one browsers refuse to match.
        if (!SanParser.ParseDnsName(pattern).IsSuccess)
        {
            return false;
        }

        var normalized = pattern.TrimEnd('.').ToLowerInvariant();
        if (!normalized.StartsWith("*.", StringComparison.Ordinal))
        {
            return normalized == host;
        }

        var suffix = normalized[1..];
        if (!host.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var label = host[..^suffix.Length];
        return label.Length > 0 && !label.Contains('.', StringComparison.Ordinal);
    }
}
