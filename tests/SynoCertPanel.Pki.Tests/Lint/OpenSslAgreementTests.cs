using System.Globalization;
using Org.BouncyCastle.Asn1.X509;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Lint;
using SynoCertPanel.Pki.Tests.Support;
using static SynoCertPanel.Pki.Tests.Support.TestCertificateSpec;
using BcKeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage;

namespace SynoCertPanel.Pki.Tests.Lint;

/// <summary>
/// Where OpenSSL enforces a rule, `openssl verify -x509_strict -auth_level 2 -purpose sslserver` must refuse
/// exactly the chains our lint says OpenSSL refuses; where only Apple or Chrome does, OpenSSL must accept —
/// which is why the lint exists (TRUST-RULES.md).
/// </summary>
public class OpenSslAgreementTests
{
    private sealed record Chain(string ExpectedRule, Func<IReadOnlyList<Certificate>> Build);

    private static readonly AuthorityInformationAccess CaIssuersAccess = new(
        new AccessDescription(AccessDescription.IdADCAIssuers, new GeneralName(GeneralName.UniformResourceIdentifier, "http://ca.home.arpa/ca.crt")));

    private static readonly Dictionary<string, Chain> Chains = new()
    {
        ["good chain"] = new("", () => Make(Root, new())),
        ["root without basicConstraints"] = new("e_ca_basic_constraints_missing", () => Make(Root with { BasicConstraints = null }, new())),
        ["root with basicConstraints not critical"] = new("e_ca_basic_constraints_not_critical",
            () => Make(Root with { BasicConstraintsCritical = false }, new())),
        ["root without keyUsage"] = new("e_ca_key_usage_missing", () => Make(Root with { KeyUsage = null }, new())),
        ["root without SKI"] = new("e_ca_subject_key_identifier_missing", () => Make(Root with { SubjectKeyIdentifier = false }, new())),
        ["leaf without AKI"] = new("e_ext_authority_key_identifier_missing", () => Make(Root, new() { AuthorityKeyIdentifier = false })),
        ["clientAuth-only leaf"] = new("e_sub_cert_eku_server_auth_missing",
            () => Make(Root, new() { ExtendedKeyUsages = [KeyPurposeID.id_kp_clientAuth] })),
        ["RSA 1024 leaf"] = new("e_rsa_key_under_2048_bits",
            () => Make(Root, new() { Key = TestKeys.Rsa1024, KeyUsage = BcKeyUsage.DigitalSignature | BcKeyUsage.KeyEncipherment })),
        ["leaf with an unknown critical extension"] = new("e_ext_unknown_critical", () => Make(Root, new() { UnknownExtensionCritical = true })),
        ["leaf with an unknown extension, not critical"] = new("", () => Make(Root, new() { UnknownExtensionCritical = false })),
        ["leaf with OCSP no-check marked critical"] = new("e_ext_critical_unprocessed_by_browsers",
            () => Make(Root, new() { CriticalExtension = ("1.3.6.1.5.5.7.48.1.5", Org.BouncyCastle.Asn1.DerNull.Instance) })),
        ["leaf with Netscape certificate type marked critical"] = new("e_ext_critical_unprocessed_by_browsers",
            () => Make(Root, new() { CriticalExtension = ("2.16.840.1.113730.1.1", new Org.BouncyCastle.Asn1.DerBitString(new byte[] { 0x40 }, 6)) })),
        ["leaf with a critical authority information access"] = new("e_ext_unknown_critical",
            () => Make(Root, new() { CriticalExtension = ("1.3.6.1.5.5.7.1.1", CaIssuersAccess) })),
        ["intermediate with an unknown critical extension"] = new("e_ext_unknown_critical",
            () => MakeWithIntermediate(Intermediate with { UnknownExtensionCritical = true })),
        ["leaf with explicit curve parameters"] = new("e_ec_key_explicit_parameters", () => Make(Root, new() { Key = TestKeys.ExplicitP256 })),
        ["SHA-1 signed leaf"] = new("e_signature_hash_weak", () => Make(Root, new() { Sha1Signature = true })),
        ["leaf outside name constraints"] = new("e_sub_cert_outside_name_constraints",
            () => Make(ConstrainedRoot, new() { CommonName = "nas.example.com", SubjectAltNames = [Dns("nas.example.com")] })),
        ["root constrained to .home.arpa, OpenSSL style"] = new("", () => Make(Root with
        {
            NameConstraints = new Org.BouncyCastle.Asn1.X509.NameConstraints(
                new GeneralSubtrees([new GeneralSubtree(new GeneralName(GeneralName.DnsName, ".home.arpa"))]), null),
        }, new() { SubjectAltNames = [Dns("nas.home.arpa"), Dns("*.nas.home.arpa")] })),
        ["leaf on the bare name of a .home.arpa constraint"] = new("e_sub_cert_outside_name_constraints", () => Make(Root with
        {
            NameConstraints = new Org.BouncyCastle.Asn1.X509.NameConstraints(
                new GeneralSubtrees([new GeneralSubtree(new GeneralName(GeneralName.DnsName, ".home.arpa"))]), null),
        }, new() { CommonName = "home.arpa", SubjectAltNames = [Dns("home.arpa")] })),
        ["SHA-1 signed intermediate"] = new("e_signature_hash_weak", () => MakeWithIntermediate(Intermediate with { Sha1Signature = true })),
        ["good chain with intermediate"] = new("", () => MakeWithIntermediate(Intermediate)),
        ["intermediate below a pathLen 0 root"] = new("e_ca_path_length_exceeded", () => MakeWithIntermediate(Intermediate, Root)),
        ["expired leaf"] = new("e_certificate_expired",
            () => Make(Root, new() { NotBefore = new Time(TestCertificateSpec.Now.AddDays(-400)), NotAfter = new Time(TestCertificateSpec.Now.AddDays(-3)) })),
        ["900-day leaf (Apple only)"] = new("e_sub_cert_validity_over_825_days",
            () => Make(Root, new() { NotAfter = new Time(TestCertificateSpec.Now.AddDays(899)) })),
        ["leaf without EKU (Apple only)"] = new("e_sub_cert_eku_missing", () => Make(Root, new() { ExtendedKeyUsages = null })),
        ["leaf without SAN (browsers only)"] = new("e_sub_cert_san_missing", () => Make(Root, new() { SubjectAltNames = null })),
        ["leaf with keyCertSign"] = new("e_sub_cert_key_usage_cert_sign_bit_set",
            () => Make(Root, new() { KeyUsage = BcKeyUsage.DigitalSignature | BcKeyUsage.KeyCertSign })),
        ["server certificate with CA:TRUE (Firefox only)"] = new("e_sub_cert_basic_constraints_ca_true",
            () => Make(Root, new() { BasicConstraints = new BasicConstraints(true) })),
        ["root without CN (Apple only)"] = new("e_ca_common_name_missing", () => Make(Root with { CommonName = null }, new())),
    };

    public static TheoryData<string> Names() => new(Chains.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void OpenSslVerify_Chain_AgreesWithLintVerdictForOpenSsl(string name)
    {
        var chain = Chains[name];
        var certificates = chain.Build();

        var report = CompatibilityLint.Check(certificates[0], certificates.Skip(1).ToList(), new LintOptions { Now = TestCertificateSpec.Now });
        var outcome = Verify(certificates);

        if (chain.ExpectedRule.Length == 0)
        {
            Assert.DoesNotContain(report.Findings, f => f.Severity != LintSeverity.Info);
        }
        else
        {
            Assert.Contains(report.Findings, f => f.RuleId == chain.ExpectedRule);
        }

        Assert.True(report.Accepts(TlsClients.OpenSsl) == (outcome.ExitCode == 0),
            $"lint says OpenSSL {(report.Accepts(TlsClients.OpenSsl) ? "accepts" : "rejects")}; openssl said: {outcome.All}");
    }

    [Fact]
    public void OpenSslVerify_AppleOnlyViolation_PassesWhileLintRejectsForApple()
    {
        var certificates = Chains["900-day leaf (Apple only)"].Build();

        var report = CompatibilityLint.Check(certificates[0], certificates.Skip(1).ToList(), new LintOptions { Now = TestCertificateSpec.Now });
        var outcome = Verify(certificates);

        Assert.Equal(0, outcome.ExitCode);
        Assert.True(report.HasErrors);
        Assert.False(report.Accepts(TlsClients.Apple));
        Assert.True(report.Accepts(TlsClients.OpenSsl));
    }

    private static IReadOnlyList<Certificate> Make(TestCertificateSpec rootSpec, TestCertificateSpec leafSpec)
    {
        var root = TestCertificate.Build(rootSpec);
        return [TestCertificate.Build(leafSpec, root).Certificate, root.Certificate];
    }

    private static IReadOnlyList<Certificate> MakeWithIntermediate(TestCertificateSpec intermediateSpec, TestCertificateSpec? rootSpec = null)
    {
        var root = TestCertificate.Build(rootSpec ?? Root with { BasicConstraints = new BasicConstraints(1) });
        var intermediate = TestCertificate.Build(intermediateSpec, root);
        return [TestCertificate.Build(new TestCertificateSpec(), intermediate).Certificate, intermediate.Certificate, root.Certificate];
    }

    private static Outcome Verify(IReadOnlyList<Certificate> chain)
    {
        using var dir = new TempDirectory();
        var leaf = dir.Write("leaf.pem", chain[0].ToPem());
        var root = dir.Write("root.pem", chain[^1].ToPem());
        var at = new DateTimeOffset(TestCertificateSpec.Now).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string[] intermediates = chain.Count > 2
            ? ["-untrusted", dir.Write("untrusted.pem", string.Concat(chain.Skip(1).SkipLast(1).Select(c => c.ToPem())))]
            : [];
        return OpenSsl.Run(["verify", "-x509_strict", "-auth_level", "2", "-purpose", "sslserver", "-attime", at, "-CAfile", root,
            .. intermediates, leaf]);
    }
}
