using System.Net;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Pki.Lint.Rules;

/// <summary>The names in a server certificate: TRUST-RULES.md "Server (leaf) certificates", name rows.</summary>
internal static class ServerNameRules
{
    public static IReadOnlyList<LintRule> All { get; } =
    [
        // Chrome ≥ 58 (chromestatus 4981025180483584), Firefox ≥ 48 and Apple (support.apple.com/103769)
        // ignore the CN: without a DNS or IP SAN no name matches. OpenSSL and Windows still fall back to the CN.
        new("e_sub_cert_san_missing", LintSeverity.Error, TlsClients.Chrome | TlsClients.Apple | TlsClients.Firefox | TlsClients.Android,
            "chromestatus 4981025180483584; support.apple.com/103769", RuleScope.Server,
            s => s.Certificate.SubjectAlternativeNames.Any(n => n.Kind is SanKind.Dns or SanKind.IpAddress) ? null
                : $"{s.Name} has no DNS name or IP address in its subjectAltName; browsers ignore the common name, so it matches no name."),

        // RFC 5280 §4.2.1.6: addresses go in iPAddress entries; RFC 6125 §1.7.2: a DNS entry never matches an IP.
        new("e_sub_cert_dns_name_is_ip_address", LintSeverity.Error, TlsClients.All, "RFC 5280 §4.2.1.6; RFC 6125 §1.7.2", RuleScope.Server,
            s => List(s, DnsNames(s).Where(LooksLikeIpAddress),
                "carries IP addresses as DNS names ({0}); clients match addresses only against iPAddress entries")),

        // RFC 5280 §4.2.1.6: an iPAddress entry is 4 (IPv4) or 16 (IPv6) octets.
        new("e_sub_cert_ip_address_bad_length", LintSeverity.Error, TlsClients.All, "RFC 5280 §4.2.1.6", RuleScope.Server,
            s => List(s, s.Certificate.UnsupportedAlternativeNames.Where(n => n.StartsWith("IP address of", StringComparison.Ordinal)),
                "has an iPAddress entry of the wrong length ({0}); it must be 4 or 16 bytes")),

        // Browsers and zlint (e_dnsname_wildcard_only_in_left_label, e_dnsname_left_label_wildcard_correct): a
        // wildcard is the whole left-most label and not directly under a TLD. Browsers do not match such entries.
        new("e_sub_cert_dns_name_bad_wildcard", LintSeverity.Error, TlsClients.None, "RFC 6125 §6.4.3; zlint", RuleScope.Server,
            s => List(s, DnsNames(s).Where(n => n.Contains('*', StringComparison.Ordinal) && !IsValidDnsName(n)),
                "has wildcards no client matches ({0}); a wildcard must be the whole left-most label, as in *.nas.home.arpa")),

        // IDNA 2008 (RFC 5890): a certificate carries internationalised names as A-labels (xn--); clients
        // compare A-labels, so a raw Unicode or malformed xn-- entry matches nothing.
        new("e_sub_cert_dns_name_not_punycode", LintSeverity.Error, TlsClients.None, "RFC 5890 (IDNA 2008); RFC 5280 §7.2", RuleScope.Server,
            s => List(s, DnsNames(s).Where(n => !n.Contains('*', StringComparison.Ordinal) && IsUnicodeOrBadALabel(n)),
                "has internationalised names not written as valid punycode ({0}); write them as xn-- labels")),

        // RFC 1034 §3.5 / RFC 5280 §4.2.1.6: preferred name syntax; zlint e_dnsname_bad_character_in_label.
        new("e_sub_cert_dns_name_invalid", LintSeverity.Error, TlsClients.None, "RFC 5280 §4.2.1.6; zlint", RuleScope.Server,
            s => List(s, DnsNames(s).Where(n => !n.Contains('*', StringComparison.Ordinal) && !LooksLikeIpAddress(n)
                    && !IsUnicodeOrBadALabel(n) && !IsValidDnsName(n)),
                "has DNS names that are not valid host names ({0})")),

        // iOS lists CN-less certificates badly and Synology's import wants a CN (mkcert #233, #469).
        new("w_sub_cert_common_name_missing", LintSeverity.Warning, TlsClients.None, "mkcert #233, #469", RuleScope.Server,
            s => s.Certificate.Subject.CommonName is null
                ? $"{s.Name} has no common name; iOS lists it badly and Synology DSM's import expects one. Repeat the first name there."
                : null),

        // zlint e_subject_common_name_not_exactly_from_san: a CN that is not a SAN misleads whoever reads it,
        // since no browser uses it.
        new("w_sub_cert_common_name_not_in_san", LintSeverity.Warning, TlsClients.None, "zlint e_subject_common_name_not_from_san", RuleScope.Server,
            s => s.Certificate.Subject.CommonName is { } cn && !IsInSans(s, cn)
                ? $"{s.Name}'s common name \"{Display.Literal(cn)}\" is not among its DNS names and IP addresses; browsers ignore it, so it only misleads."
                : null),

        // RFC 6125 §6.4 and RFC 2818 §3.1: the name the client connects to must match a SAN.
        new("e_sub_cert_host_not_covered", LintSeverity.Error, TlsClients.All, "RFC 6125 §6.4; RFC 2818 §3.1", RuleScope.Server,
            s => s.Options.Host is { } host && !HostMatcher.Covers(s.Certificate.SubjectAlternativeNames, host)
                ? $"{s.Name} does not cover \"{Display.Literal(host)}\": no DNS name or IP address in its subjectAltName matches it."
                : null),
    ];

    private static IEnumerable<string> DnsNames(LintSubject subject) =>
        subject.Certificate.SubjectAlternativeNames.Where(n => n.Kind == SanKind.Dns).Select(n => n.Value);

    private static string? List(LintSubject subject, IEnumerable<string> offending, string format)
    {
        var names = offending.Select(n => Display.Literal(n, 60)).ToList();
        return names.Count == 0 ? null : $"{subject.Name} {string.Format(System.Globalization.CultureInfo.InvariantCulture, format, string.Join(", ", names))}.";
    }

    private static bool IsValidDnsName(string name) => SanParser.ParseDnsName(name).IsSuccess;

    private static bool LooksLikeIpAddress(string name) =>
        (name.Contains('.', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal)) && IPAddress.TryParse(name, out _);

    private static bool IsUnicodeOrBadALabel(string name) =>
        name.Any(c => c > 0x7F)
        || (name.Split('.').Any(l => l.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)) && !IsValidDnsName(name));

    private static bool IsInSans(LintSubject subject, string commonName)
    {
        var parsed = SubjectAlternativeName.Parse(commonName);
        return parsed.IsSuccess
            ? subject.Certificate.SubjectAlternativeNames.Contains(parsed.Value)
            : subject.Certificate.SubjectAlternativeNames.Any(n => string.Equals(n.Value, commonName, StringComparison.OrdinalIgnoreCase));
    }
}
