using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Pki.Lint.Rules;

/// <summary>Key strength and signature hash, for the leaf and every CA in the chain (TRUST-RULES.md).</summary>
internal static class KeyAndSignatureRules
{
    public static IReadOnlyList<LintRule> All { get; } =
    [
        // Apple requires RSA ≥ 2048 (HT210176); OpenSSL at security level 2 (Debian's default) refuses
        // keys under 112 bits of strength.
        new("e_rsa_key_under_2048_bits", LintSeverity.Error, TlsClients.Apple | TlsClients.OpenSsl,
            "support.apple.com/103769 (HT210176); OpenSSL SECLEVEL 2", RuleScope.Any,
            s => s.Certificate.PublicKey is { Family: PublicKeyFamily.Rsa, Bits: < 2048 } key
                ? $"{s.Name} has a {key} key; Apple devices and OpenSSL-based tools require at least 2048 bits."
                : null),

        // The key types every client accepts are RSA and ECDSA on P-256/P-384 (TRUST-RULES.md). Ed25519 and
        // DSA certificates are not accepted by browsers; other curves only by some. Approximated as all browsers.
        new("e_key_type_unsupported", LintSeverity.Error, TlsClients.Browsers, "TRUST-RULES.md; RFC 8446 §4.2.3", RuleScope.Any,
            s => s.Certificate.PublicKey.Family != PublicKeyFamily.Rsa && !s.Certificate.PublicKey.IsStrongEnough
                ? $"{s.Name} has a {s.Certificate.PublicKey} key; use RSA (2048 bits or more) or ECDSA P-256/P-384."
                : null),

        // RFC 5480 §2.1.1: a certificate names its curve. BoringSSL (Chrome, Android) has no explicit-parameter
        // support, and OpenSSL 3 -x509_strict refuses it ("explicit ECC parameters").
        new("e_ec_key_explicit_parameters", LintSeverity.Error, TlsClients.All, "RFC 5480 §2.1.1; OpenSSL -x509_strict", RuleScope.Any,
            s => s.Certificate.PublicKey.HasExplicitCurveParameters
                ? $"{s.Name} gives its EC key's curve as explicit parameters instead of naming it; clients require a named curve (RFC 5480)."
                : null),

        // SHA-1 signatures were removed in Chrome 56 (dev.chromium.org sha-1 page) and are refused by OpenSSL 3
        // at security level 1 and above. A root's signature on itself is never checked (RFC 5280 §6.1: the
        // trust anchor is taken as given), so roots are exempt.
        new("e_signature_hash_weak", LintSeverity.Error, TlsClients.All, "dev.chromium.org sha-1 page; OpenSSL 3 SECLEVEL", RuleScope.Any,
            s => !s.IsSelfSigned && SignatureAlgorithmNames.IsWeak(s.Certificate.SignatureAlgorithmOid)
                ? $"{s.Name} is signed with {s.Certificate.SignatureAlgorithmName}; clients require SHA-256 or stronger."
                : null),
    ];
}
