namespace SynoCertPanel.Pki.Lint.Rules;

/// <summary>Validity periods: TRUST-RULES.md "Validity ≤ 825 days" and "A leaf must not outlive its issuer", plus expiry.</summary>
internal static class ValidityRules
{
    /// <summary>Apple's limit for TLS certificates from user-installed roots (support.apple.com/103769).</summary>
    public const int AppleMaxDays = 825;

    /// <summary>The public-CA limit (Chromium certificate_lifetimes.md); it does not apply to private roots.</summary>
    public const int PublicCaMaxDays = 398;

    public static IReadOnlyList<LintRule> All { get; } =
    [
        // Apple: TLS certificates from user-installed roots must be valid for 825 days or fewer (HT210176).
        new("e_sub_cert_validity_over_825_days", LintSeverity.Error, TlsClients.Apple, "support.apple.com/103769 (HT210176)", RuleScope.Server,
            s => s.Certificate.Validity.TotalDays > AppleMaxDays
                ? $"{s.Name} is valid for {s.Certificate.Validity.TotalDays:0} days; Apple devices reject server certificates valid for more than {AppleMaxDays} days."
                : null),

        // Only publicly trusted CAs are held to 398 days (Chromium certificate_lifetimes.md): a note, not a fault.
        new("n_sub_cert_validity_over_398_days", LintSeverity.Info, TlsClients.None, "Chromium certificate_lifetimes.md", RuleScope.Server,
            s => s.Certificate.Validity.TotalDays > PublicCaMaxDays && s.Certificate.Validity.TotalDays <= AppleMaxDays
                ? $"{s.Name} is valid for {s.Certificate.Validity.TotalDays:0} days, more than public CAs may issue ({PublicCaMaxDays}); fine for a private root."
                : null),

        // RFC 5280 §6.1.3 (a)(2): every certificate on the path must be valid at the time of use.
        new("e_certificate_expired", LintSeverity.Error, TlsClients.All, "RFC 5280 §6.1.3", RuleScope.Any,
            s => s.Options.Now is { } now && now > s.Certificate.NotAfter
                ? $"{s.Name} expired on {s.Certificate.NotAfter:yyyy-MM-dd HH:mm} UTC."
                : null),

        // RFC 5280 §6.1.3 (a)(2), as above: a certificate is not valid before notBefore either.
        new("e_certificate_not_yet_valid", LintSeverity.Error, TlsClients.All, "RFC 5280 §6.1.3", RuleScope.Any,
            s => s.Options.Now is { } now && now < s.Certificate.NotBefore
                ? $"{s.Name} is not valid until {s.Certificate.NotBefore:yyyy-MM-dd HH:mm} UTC; check the clock of the machine that made it."
                : null),

        // TRUST-RULES.md: clip notAfter to the CA's, and warn. Past the issuer's expiry the chain fails anyway.
        new("w_certificate_outlives_issuer", LintSeverity.Warning, TlsClients.None, "TRUST-RULES.md CA table; RFC 5280 §6.1.3", RuleScope.Any,
            s => s.Issuer is { } issuer && s.Certificate.NotAfter > issuer.NotAfter
                ? $"{s.Name} is valid until {s.Certificate.NotAfter:yyyy-MM-dd}, after its issuer expires ({issuer.NotAfter:yyyy-MM-dd}); from then on no client accepts it."
                : null),
    ];
}
