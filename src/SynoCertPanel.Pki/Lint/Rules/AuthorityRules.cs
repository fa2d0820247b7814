using Org.BouncyCastle.Asn1.X509;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Pki.Lint.Rules;

/// <summary>CA certificates: TRUST-RULES.md "CA certificates" table, for a CA linted on its own and each CA in a chain.</summary>
internal static class AuthorityRules
{
    public static IReadOnlyList<LintRule> All { get; } =
    [
        // RFC 5280 §4.2.1.9; OpenSSL -x509_strict and Python's verifier reject a root without basicConstraints.
        new("e_ca_basic_constraints_missing", LintSeverity.Error, TlsClients.OpenSsl, "RFC 5280 §4.2.1.9; openssl verify -x509_strict", RuleScope.Authority,
            s => s.IsSelfSigned && !s.Certificate.HasBasicConstraints
                ? $"{s.Name} has no basicConstraints extension; strict verifiers (openssl -x509_strict, Python) refuse it as a CA."
                : null),

        // RFC 5280 §6.1.4 (k): a certificate that signs others must assert CA:TRUE; every client checks it.
        new("e_ca_not_marked_ca", LintSeverity.Error, TlsClients.All, "RFC 5280 §6.1.4 (k)", RuleScope.Authority,
            s => !s.Certificate.IsCertificateAuthority && (s.Certificate.HasBasicConstraints || !s.IsSelfSigned)
                ? $"{s.Name} is used as a CA but its basicConstraints do not say CA:TRUE; clients refuse what it signs."
                : null),

        // RFC 5280 §4.2.1.9: CAs MUST mark basicConstraints critical; OpenSSL 3 -x509_strict checks it.
        new("e_ca_basic_constraints_not_critical", LintSeverity.Error, TlsClients.OpenSsl, "RFC 5280 §4.2.1.9", RuleScope.Authority,
            s => s.Certificate.HasBasicConstraints && !IsCritical(s, X509Extensions.BasicConstraints.Id)
                ? $"{s.Name}'s basicConstraints extension is not marked critical, as RFC 5280 requires for CAs."
                : null),

        // RFC 5280 §4.2.1.9: pathLen 0 for an issuing CA that signs only leaves limits what a leaked key can do.
        new("n_ca_path_length_unlimited", LintSeverity.Info, TlsClients.None, "RFC 5280 §4.2.1.9", RuleScope.Authority,
            s => s.Certificate.IsCertificateAuthority && s.Certificate.PathLength is null
                ? $"{s.Name} sets no path length; pathLen 0 keeps it from creating sub-CAs if it only signs servers."
                : null),

        // RFC 5280 §6.1.4 (l)/(m): more CAs below than the pathLenConstraint allows breaks the chain everywhere.
        new("e_ca_path_length_exceeded", LintSeverity.Error, TlsClients.All, "RFC 5280 §6.1.4", RuleScope.Authority,
            s => s.Certificate.PathLength is { } max && s.AuthoritiesBelow > max
                ? $"{s.Name} allows {max} CA(s) below it (pathLen), but the chain has {s.AuthoritiesBelow}."
                : null),

        // RFC 5280 §4.2.1.3: CAs MUST include keyUsage; OpenSSL 3 -x509_strict checks it.
        new("e_ca_key_usage_missing", LintSeverity.Error, TlsClients.OpenSsl, "RFC 5280 §4.2.1.3", RuleScope.Authority,
            s => s.Certificate.KeyUsages is null
                ? $"{s.Name} has no keyUsage extension; it needs keyCertSign and cRLSign (critical)."
                : null),

        // RFC 5280 §4.2.1.3: "conforming CAs SHOULD mark this extension as critical".
        new("w_ca_key_usage_not_critical", LintSeverity.Warning, TlsClients.None, "RFC 5280 §4.2.1.3", RuleScope.Authority,
            s => s.Certificate.KeyUsages is not null && !IsCritical(s, X509Extensions.KeyUsage.Id)
                ? $"{s.Name}'s keyUsage extension is not marked critical, as RFC 5280 recommends."
                : null),

        // RFC 5280 §4.2.1.3 and §6.1.4 (n): a CA whose keyUsage lacks keyCertSign cannot sign certificates.
        new("e_ca_key_usage_cert_sign_missing", LintSeverity.Error, TlsClients.All, "RFC 5280 §4.2.1.3", RuleScope.Authority,
            s => s.Certificate.KeyUsages is { } usages && !usages.HasFlag(KeyUsages.KeyCertSign)
                ? $"{s.Name}'s keyUsage lacks keyCertSign, so clients refuse every certificate it signs."
                : null),

        // zlint e_ca_key_crl_sign_not_set: a CA that may one day publish a CRL needs cRLSign.
        new("w_ca_key_usage_crl_sign_missing", LintSeverity.Warning, TlsClients.None, "RFC 5280 §4.2.1.3; zlint", RuleScope.Authority,
            s => s.Certificate.KeyUsages is { } usages && !usages.HasFlag(KeyUsages.CrlSign)
                ? $"{s.Name}'s keyUsage lacks cRLSign; it could not sign a revocation list."
                : null),

        // iOS hides CN-less roots in Certificate Trust Settings, so full trust cannot be enabled (mkcert #47, #233).
        new("e_ca_common_name_missing", LintSeverity.Error, TlsClients.Apple, "mkcert #47, #233", RuleScope.Authority,
            s => s.IsSelfSigned && s.Certificate.Subject.CommonName is null
                ? $"{s.Name} has no common name; iOS hides such roots in Certificate Trust Settings, so users cannot trust it."
                : null),

        // Optional (TRUST-RULES.md): a constrained root's leaked key cannot impersonate the wider web.
        new("n_ca_name_constraints_missing", LintSeverity.Info, TlsClients.None, "Chrome policy EnforceLocalAnchorConstraintsEnabled", RuleScope.Authority,
            s => s.IsSelfSigned && s.Certificate.IsCertificateAuthority && s.Certificate.NameConstraints is null
                ? $"{s.Name} has no name constraints; limiting it to e.g. home.arpa and private IP ranges keeps a leaked key from impersonating other sites."
                : null),

        // Name constraints are enforced for locally installed roots by Chrome ≥ 112 (always ≥ 126), Apple, NSS,
        // Windows and OpenSSL (RFC 5280 §4.2.1.10).
        new("e_sub_cert_outside_name_constraints", LintSeverity.Error, TlsClients.All, "RFC 5280 §4.2.1.10; Chrome policy EnforceLocalAnchorConstraintsEnabled",
            RuleScope.Authority, OutsideNameConstraints),
    ];

    private static bool IsCritical(LintSubject subject, string oid) =>
        subject.Certificate.Parsed.GetCriticalExtensionOids()?.Contains(oid) ?? false;

    private static string? OutsideNameConstraints(LintSubject subject)
    {
        if (subject.Server is not { } server || subject.Certificate.NameConstraints is not { IsEmpty: false } constraints)
        {
            return null;
        }

        var outside = server.SubjectAlternativeNames.Where(n => !constraints.Permits(n)).Select(n => Display.Literal(n.DisplayValue, 60)).ToList();
        return outside.Count == 0 ? null
            : $"The server certificate names {string.Join(", ", outside)}, outside what {subject.Name} may certify ({constraints.Describe()}).";
    }
}
