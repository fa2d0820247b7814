using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Lint;
using SynoCertPanel.Pki.Tests.Support;
using static SynoCertPanel.Pki.Tests.Support.TestCertificateSpec;
using BcKeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage;

namespace SynoCertPanel.Pki.Tests.Lint;

/// <summary>What to lint: a certificate, its chain, the options, and whether it is linted as a CA.</summary>
public sealed record LintRun(Certificate Certificate, IReadOnlyList<Certificate> Chain, LintOptions Options, bool AsAuthority = false)
{
    public LintReport Lint() => AsAuthority
        ? CompatibilityLint.CheckAuthority(Certificate, Chain, Options)
        : CompatibilityLint.Check(Certificate, Chain, Options);
}

/// <summary>
/// One named case: a certificate that breaks exactly <see cref="RuleId"/> (plus <see cref="AlsoFires"/>,
/// where breaking one rule necessarily breaks another), and what the rule must report.
/// </summary>
public sealed record LintCase(string RuleId, LintSeverity Severity, TlsClients RejectedBy, Func<LintRun> Make, params string[] AlsoFires);

/// <summary>The table of named cases, one or more per rule.</summary>
public static class LintCases
{
    public static readonly LintOptions At = new() { Now = TestCertificateSpec.Now };

    private static readonly Lazy<TestCertificate> SharedRoot = new(() => TestCertificate.Build(Root));
    private static readonly Lazy<TestCertificate> SharedConstrainedRoot = new(() => TestCertificate.Build(ConstrainedRoot));
    private static readonly Lazy<TestCertificate> SharedRootWithIntermediates = new(() => TestCertificate.Build(Root with
    {
        CommonName = "Lint Test Root With Intermediates",
        BasicConstraints = new BasicConstraints(1),
    }));

    public static TestCertificate GoodRoot => SharedRoot.Value;

    public static TestCertificate GoodConstrainedRoot => SharedConstrainedRoot.Value;

    public static TestCertificate RootWithIntermediates => SharedRootWithIntermediates.Value;

    public static IReadOnlyDictionary<string, LintCase> All { get; } = new Dictionary<string, LintCase>
    {
        ["leaf without SAN"] = new("e_sub_cert_san_missing", LintSeverity.Error,
            TlsClients.Chrome | TlsClients.Apple | TlsClients.Firefox | TlsClients.Android,
            () => Leaf(new() { SubjectAltNames = null }), "w_sub_cert_common_name_not_in_san"),
        ["IP address as a DNS SAN"] = new("e_sub_cert_dns_name_is_ip_address", LintSeverity.Error, TlsClients.All,
            () => Leaf(new() { SubjectAltNames = [Dns("nas.home.arpa"), Dns("192.168.1.10")] })),
        ["iPAddress SAN of 5 bytes"] = new("e_sub_cert_ip_address_bad_length", LintSeverity.Error, TlsClients.All,
            () => Leaf(new() { SubjectAltNames = [Dns("nas.home.arpa"), Ip(192, 168, 1, 10, 1)] })),
        ["wildcard inside a label"] = new("e_sub_cert_dns_name_bad_wildcard", LintSeverity.Error, TlsClients.None,
            () => Leaf(new() { SubjectAltNames = [Dns("nas.home.arpa"), Dns("f*o.home.arpa")] })),
        ["wildcard under a TLD"] = new("e_sub_cert_dns_name_bad_wildcard", LintSeverity.Error, TlsClients.None,
            () => Leaf(new() { SubjectAltNames = [Dns("nas.home.arpa"), Dns("*.arpa")] })),
        ["Unicode DNS name"] = new("e_sub_cert_dns_name_not_punycode", LintSeverity.Error, TlsClients.None,
            () => Leaf(new() { SubjectAltNames = [Dns("nas.home.arpa"), Utf8Dns("bücher.home.arpa")] })),
        ["underscore in DNS name"] = new("e_sub_cert_dns_name_invalid", LintSeverity.Error, TlsClients.None,
            () => Leaf(new() { SubjectAltNames = [Dns("nas.home.arpa"), Dns("my_nas.home.arpa")] })),
        ["leaf without CN"] = new("w_sub_cert_common_name_missing", LintSeverity.Warning, TlsClients.None,
            () => Leaf(new() { CommonName = null })),
        ["CN not among SANs"] = new("w_sub_cert_common_name_not_in_san", LintSeverity.Warning, TlsClients.None,
            () => Leaf(new() { CommonName = "old-nas.home.arpa" })),
        ["host not covered"] = new("e_sub_cert_host_not_covered", LintSeverity.Error, TlsClients.All,
            () => Leaf(new(), At with { Host = "other.home.arpa" })),
        ["leaf without EKU"] = new("e_sub_cert_eku_missing", LintSeverity.Error, TlsClients.Apple,
            () => Leaf(new() { ExtendedKeyUsages = null })),
        ["clientAuth-only EKU"] = new("e_sub_cert_eku_server_auth_missing", LintSeverity.Error, TlsClients.All,
            () => Leaf(new() { ExtendedKeyUsages = [KeyPurposeID.id_kp_clientAuth] })),
        ["leaf without keyUsage"] = new("w_sub_cert_key_usage_missing", LintSeverity.Warning, TlsClients.None,
            () => Leaf(new() { KeyUsage = null })),
        ["keyUsage without digitalSignature"] = new("e_sub_cert_key_usage_digital_signature_missing", LintSeverity.Error,
            TlsClients.Chrome | TlsClients.Android, () => Leaf(new() { KeyUsage = BcKeyUsage.KeyAgreement })),
        ["RSA leaf without keyEncipherment"] = new("w_sub_cert_rsa_key_usage_key_encipherment_missing", LintSeverity.Warning, TlsClients.None,
            () => Leaf(new() { Key = TestKeys.Rsa2048 })),
        ["leaf with keyCertSign"] = new("e_sub_cert_key_usage_cert_sign_bit_set", LintSeverity.Error, TlsClients.OpenSsl,
            () => Leaf(new() { KeyUsage = BcKeyUsage.DigitalSignature | BcKeyUsage.KeyCertSign })),
        ["server certificate with CA:TRUE"] = new("e_sub_cert_basic_constraints_ca_true", LintSeverity.Error, TlsClients.Firefox,
            () => Leaf(new() { BasicConstraints = new BasicConstraints(true) })),
        ["leaf without basicConstraints"] = new("w_sub_cert_basic_constraints_missing", LintSeverity.Warning, TlsClients.None,
            () => Leaf(new() { BasicConstraints = null })),
        ["900-day leaf"] = new("e_sub_cert_validity_over_825_days", LintSeverity.Error, TlsClients.Apple,
            () => Leaf(new() { NotAfter = new Time(TestCertificateSpec.Now.AddDays(899)) })),
        ["500-day leaf"] = new("n_sub_cert_validity_over_398_days", LintSeverity.Info, TlsClients.None,
            () => Leaf(new() { NotAfter = new Time(TestCertificateSpec.Now.AddDays(499)) })),
        ["expired leaf"] = new("e_certificate_expired", LintSeverity.Error, TlsClients.All,
            () => Leaf(new() { NotBefore = new Time(TestCertificateSpec.Now.AddDays(-400)), NotAfter = new Time(TestCertificateSpec.Now.AddDays(-3)) })),
        ["leaf valid from tomorrow"] = new("e_certificate_not_yet_valid", LintSeverity.Error, TlsClients.All,
            () => Leaf(new() { NotBefore = new Time(TestCertificateSpec.Now.AddDays(1)) })),
        ["leaf outliving its root"] = new("w_certificate_outlives_issuer", LintSeverity.Warning, TlsClients.None,
            () => LeafUnder(TestCertificate.Build(Root with { NotAfter = new Time(TestCertificateSpec.Now.AddDays(100)) }), new())),
        ["RSA 1024 leaf"] = new("e_rsa_key_under_2048_bits", LintSeverity.Error, TlsClients.Apple | TlsClients.OpenSsl,
            () => Leaf(new() { Key = TestKeys.Rsa1024, KeyUsage = BcKeyUsage.DigitalSignature | BcKeyUsage.KeyEncipherment })),
        ["RSA 1024 intermediate"] = new("e_rsa_key_under_2048_bits", LintSeverity.Error, TlsClients.Apple | TlsClients.OpenSsl,
            () => LeafBelowIntermediate(Intermediate with { Key = TestKeys.Rsa1024 })),
        ["Ed25519 leaf"] = new("e_key_type_unsupported", LintSeverity.Error, TlsClients.Browsers,
            () => Leaf(new() { Key = TestKeys.Ed25519 })),
        ["SHA-1 signed leaf"] = new("e_signature_hash_weak", LintSeverity.Error, TlsClients.All,
            () => Leaf(new() { Sha1Signature = true })),
        ["SHA-1 signed intermediate"] = new("e_signature_hash_weak", LintSeverity.Error, TlsClients.All,
            () => LeafBelowIntermediate(Intermediate with { Sha1Signature = true })),
        ["negative serial"] = new("e_serial_number_not_positive", LintSeverity.Error, TlsClients.None,
            () => Leaf(new() { Serial = BigInteger.ValueOf(-4096) })),
        ["21-octet serial"] = new("e_serial_number_longer_than_20_octets", LintSeverity.Error, TlsClients.None,
            () => Leaf(new() { Serial = BigInteger.One.ShiftLeft(20 * 8) })),
        ["short serial"] = new("w_serial_number_low_entropy", LintSeverity.Warning, TlsClients.None,
            () => Leaf(new() { Serial = BigInteger.ValueOf(4096) })),
        ["leaf without AKI"] = new("e_ext_authority_key_identifier_missing", LintSeverity.Error, TlsClients.OpenSsl,
            () => Leaf(new() { AuthorityKeyIdentifier = false })),
        ["root without SKI"] = new("e_ca_subject_key_identifier_missing", LintSeverity.Error, TlsClients.OpenSsl,
            () => Authority(Root with { SubjectKeyIdentifier = false })),
        ["GeneralizedTime before 2050"] = new("e_validity_time_wrong_encoding", LintSeverity.Error, TlsClients.None,
            () => Leaf(new() { NotAfter = new Time(new DerGeneralizedTime(TestCertificateSpec.Now.AddDays(396))) })),
        ["leaf with an unknown critical extension"] = new("e_ext_unknown_critical", LintSeverity.Error, TlsClients.All,
            () => Leaf(new() { UnknownExtensionCritical = true })),
        ["root with an unknown critical extension"] = new("e_ext_unknown_critical", LintSeverity.Error, TlsClients.All,
            () => Authority(Root with { UnknownExtensionCritical = true })),
        ["leaf with OCSP no-check marked critical (OpenSSL processes it)"] = new("e_ext_critical_unprocessed_by_browsers", LintSeverity.Error,
            TlsClients.Browsers, () => Leaf(new() { CriticalExtension = ("1.3.6.1.5.5.7.48.1.5", DerNull.Instance) })),
        ["leaf with explicit curve parameters"] = new("e_ec_key_explicit_parameters", LintSeverity.Error, TlsClients.All,
            () => Leaf(new() { Key = TestKeys.ExplicitP256 })),
        ["root without basicConstraints"] = new("e_ca_basic_constraints_missing", LintSeverity.Error, TlsClients.OpenSsl,
            () => Authority(Root with { BasicConstraints = null })),
        ["issuer with CA:FALSE"] = new("e_ca_not_marked_ca", LintSeverity.Error, TlsClients.All,
            () => LeafUnder(TestCertificate.Build(Root with { BasicConstraints = new BasicConstraints(false) }), new())),
        ["root with basicConstraints not critical"] = new("e_ca_basic_constraints_not_critical", LintSeverity.Error, TlsClients.OpenSsl,
            () => Authority(Root with { BasicConstraintsCritical = false })),
        ["root without path length"] = new("n_ca_path_length_unlimited", LintSeverity.Info, TlsClients.None,
            () => Authority(Root with { BasicConstraints = new BasicConstraints(true) })),
        ["intermediate below a pathLen 0 root"] = new("e_ca_path_length_exceeded", LintSeverity.Error, TlsClients.All,
            () => LeafBelowIntermediate(Intermediate, GoodRoot)),
        ["root without keyUsage"] = new("e_ca_key_usage_missing", LintSeverity.Error, TlsClients.OpenSsl,
            () => Authority(Root with { KeyUsage = null })),
        ["root with keyUsage not critical"] = new("w_ca_key_usage_not_critical", LintSeverity.Warning, TlsClients.None,
            () => Authority(Root with { KeyUsageCritical = false })),
        ["root without keyCertSign"] = new("e_ca_key_usage_cert_sign_missing", LintSeverity.Error, TlsClients.All,
            () => Authority(Root with { KeyUsage = BcKeyUsage.CrlSign | BcKeyUsage.DigitalSignature })),
        ["root without cRLSign"] = new("w_ca_key_usage_crl_sign_missing", LintSeverity.Warning, TlsClients.None,
            () => Authority(Root with { KeyUsage = BcKeyUsage.KeyCertSign })),
        ["root without CN"] = new("e_ca_common_name_missing", LintSeverity.Error, TlsClients.Apple,
            () => Authority(Root with { CommonName = null })),
        ["root without name constraints"] = new("n_ca_name_constraints_missing", LintSeverity.Info, TlsClients.None,
            () => Authority(Root)),
        ["leaf outside the root's name constraints"] = new("e_sub_cert_outside_name_constraints", LintSeverity.Error, TlsClients.All,
            () => LeafUnder(GoodConstrainedRoot, new() { CommonName = "nas.example.com", SubjectAltNames = [Dns("nas.example.com")] })),
        ["chain with the wrong root"] = new("e_chain_signature_invalid", LintSeverity.Error, TlsClients.All,
            () => Leaf(new()) with { Chain = [TestCertificate.Build(Root with { Key = TestKeys.Rsa2048 }).Certificate] }),
        ["chain without its root"] = new("w_chain_root_missing", LintSeverity.Warning, TlsClients.None,
            () => Leaf(new()) with { Chain = [] }),
    };

    public static TheoryData<string> Names() => new(All.Keys);

    public static LintRun Leaf(TestCertificateSpec spec, LintOptions? options = null) => LeafUnder(GoodRoot, spec, options);

    public static LintRun LeafUnder(TestCertificate root, TestCertificateSpec spec, LintOptions? options = null) =>
        new(TestCertificate.Build(spec, root).Certificate, [root.Certificate], options ?? At);

    public static LintRun Authority(TestCertificateSpec spec) => new(TestCertificate.Build(spec).Certificate, [], At, AsAuthority: true);

    public static LintRun LeafBelowIntermediate(TestCertificateSpec intermediateSpec, TestCertificate? root = null)
    {
        var above = root ?? RootWithIntermediates;
        var intermediate = TestCertificate.Build(intermediateSpec, above);
        var leaf = TestCertificate.Build(new TestCertificateSpec(), intermediate);
        return new(leaf.Certificate, [intermediate.Certificate, above.Certificate], At);
    }
}
