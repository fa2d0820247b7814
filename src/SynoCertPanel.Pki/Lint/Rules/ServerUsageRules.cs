using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Pki.Lint.Rules;

/// <summary>What a server certificate may be used for: TRUST-RULES.md EKU, keyUsage and basicConstraints rows.</summary>
internal static class ServerUsageRules
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    public static IReadOnlyList<LintRule> All { get; } =
    [
        // Apple requires an EKU with id-kp-serverAuth on TLS certificates issued after 2019-07-01 (HT210176).
        new("e_sub_cert_eku_missing", LintSeverity.Error, TlsClients.Apple, "support.apple.com/103769 (HT210176)", RuleScope.Server,
            s => s.Certificate.ExtendedKeyUsageOids is null
                ? $"{s.Name} has no extendedKeyUsage extension; Apple devices require one containing serverAuth."
                : null),

        // An EKU without serverAuth (e.g. clientAuth only) restricts the key away from TLS servers: every
        // verifier refuses it (OpenSSL with -purpose sslserver, as curl does).
        new("e_sub_cert_eku_server_auth_missing", LintSeverity.Error, TlsClients.All, "RFC 5280 §4.2.1.12; HT210176", RuleScope.Server,
            s => s.Certificate.ExtendedKeyUsageOids is { } ekus && !ekus.Contains(ServerAuthOid)
                ? $"{s.Name}'s extendedKeyUsage does not include serverAuth, so no client accepts it for a web server."
                : null),

        // RFC 5280 §4.2.1.3 allows a leaf without keyUsage, but our profile always sets one so the key's use is explicit.
        new("w_sub_cert_key_usage_missing", LintSeverity.Warning, TlsClients.None, "RFC 5280 §4.2.1.3", RuleScope.Server,
            s => s.Certificate.KeyUsages is null
                ? $"{s.Name} has no keyUsage extension; include digitalSignature (and keyEncipherment for RSA)."
                : null),

        // Chrome ≥ 124 enforces keyUsage for local anchors (ERR_SSL_KEY_USAGE_INCOMPATIBLE; policy
        // RSAKeyUsageForLocalAnchorsEnabled): the ECDHE handshake signs, so digitalSignature is needed.
        new("e_sub_cert_key_usage_digital_signature_missing", LintSeverity.Error, TlsClients.Chrome | TlsClients.Android,
            "Chrome policy RSAKeyUsageForLocalAnchorsEnabled", RuleScope.Server,
            s => s.Certificate.KeyUsages is { } usages && !usages.HasFlag(KeyUsages.DigitalSignature)
                ? $"{s.Name}'s keyUsage lacks digitalSignature; Chrome 124+ refuses it (ERR_SSL_KEY_USAGE_INCOMPATIBLE)."
                : null),

        // RSA key exchange (TLS 1.2 without ECDHE, still offered by old appliances) encrypts to the key, which
        // needs keyEncipherment; Chrome ≥ 124 and GnuTLS enforce it when that cipher is negotiated.
        new("w_sub_cert_rsa_key_usage_key_encipherment_missing", LintSeverity.Warning, TlsClients.None,
            "Chrome policy RSAKeyUsageForLocalAnchorsEnabled", RuleScope.Server,
            s => s.Certificate.PublicKey.Family == PublicKeyFamily.Rsa && s.Certificate.KeyUsages is { } usages
                && !usages.HasFlag(KeyUsages.KeyEncipherment)
                ? $"{s.Name} has an RSA key but its keyUsage lacks keyEncipherment; clients that negotiate RSA key exchange refuse it."
                : null),

        // zlint e_sub_cert_key_usage_cert_sign_bit_set (RFC 5280 §4.2.1.3: keyCertSign only with CA:TRUE);
        // OpenSSL 3 -x509_strict refuses it too (X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA).
        new("e_sub_cert_key_usage_cert_sign_bit_set", LintSeverity.Error, TlsClients.OpenSsl, "RFC 5280 §4.2.1.3; zlint", RuleScope.Server,
            s => s.Certificate.KeyUsages is { } usages && usages.HasFlag(KeyUsages.KeyCertSign)
                ? $"{s.Name}'s keyUsage includes keyCertSign, which only CA certificates may have; strict verifiers (openssl -x509_strict) refuse it."
                : null),

        // Firefox refuses a CA certificate as the server's (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY);
        // `openssl req -x509` with the default config makes exactly such certificates.
        new("e_sub_cert_basic_constraints_ca_true", LintSeverity.Error, TlsClients.Firefox,
            "mozilla::pkix MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY; RFC 5280 §4.2.1.9", RuleScope.Server,
            s => s.Certificate.IsCertificateAuthority
                ? $"{s.Name} says CA:TRUE; Firefox refuses a CA certificate as a server's (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY)."
                : null),

        // RFC 5280 §4.2.1.9 and CA/B BR 7.1.2.3: a leaf should say CA:FALSE explicitly.
        new("w_sub_cert_basic_constraints_missing", LintSeverity.Warning, TlsClients.None, "RFC 5280 §4.2.1.9", RuleScope.Server,
            s => s.Certificate.HasBasicConstraints ? null
                : $"{s.Name} has no basicConstraints extension; add CA:FALSE so it can never be taken for a CA."),
    ];
}
