using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;
using NameConstraints = SynoCertPanel.Pki.Profiles.NameConstraints;

namespace SynoCertPanel.Pki.Tests.Issuance;

public class NameConstrainedRootTests
{
    private static readonly Lazy<CertificateAuthority> HomeLabRoot =
        new(() => TestPki.CreateRoot("Constrained Root", KeyAlgorithm.EcdsaP256, NameConstraints.HomeLab, allowIntermediates: true));

    private static Result<IssuedCertificate> Issue(CertificateAuthority ca, params string[] names) =>
        new CertificateIssuer().IssueLeaf(ca, new LeafOptions { SubjectAlternativeNames = TestPki.Names(names), KeyAlgorithm = KeyAlgorithm.EcdsaP256 });

    [Fact]
    public void CreateRootCa_HomeLab_OpenSslShowsCriticalPermittedSubtrees()
    {
        var text = OpenSsl.Text(HomeLabRoot.Value.Certificate);

        Assert.Contains("X509v3 Name Constraints: critical", text, StringComparison.Ordinal);
        foreach (var subtree in new[] { "DNS:home.arpa", "DNS:lan", "IP:10.0.0.0/255.0.0.0", "IP:192.168.0.0/255.255.0.0", "IP:FC00:0:0:0:0:0:0:0/FE00:0:0:0:0:0:0:0",
            "email:invalid", "URI:invalid" })
        {
            Assert.Contains(subtree, text, StringComparison.Ordinal);
        }

        Assert.Equal(NameConstraints.HomeLab.PermittedDnsSuffixes, HomeLabRoot.Value.NameConstraints!.PermittedDnsSuffixes);
        Assert.Equal(NameConstraints.HomeLab.PermittedIpRanges, HomeLabRoot.Value.NameConstraints.PermittedIpRanges);
        Assert.True(HomeLabRoot.Value.NameConstraints.ClosesEmailAndUri);
    }

    [Theory]
    [InlineData("subjectAltName=DNS:nas.home.arpa,URI:http://nas.home.arpa/", "/CN=nas.home.arpa")]
    [InlineData("subjectAltName=DNS:nas.home.arpa,URI:https://evil.example/", "/CN=nas.home.arpa")]
    [InlineData("subjectAltName=DNS:nas.home.arpa,email:admin@nas.home.arpa", "/CN=nas.home.arpa")]
    [InlineData("subjectAltName=DNS:nas.home.arpa", "/CN=nas.home.arpa/emailAddress=admin@evil.example")]
    public void HomeLabRoot_LeafWithUriOrEmailSignedByOpenSsl_OpenSslRejects(string names, string subject)
    {
        // A constrained root vouches only for DNS names and IP addresses: a leaf made with its key by another tool
        // that carries a URI or a mailbox fails verification, while the same leaf without it passes.
        using var dir = new TempDirectory();
        var plain = SignWithRootKey(dir, HomeLabRoot.Value, "/CN=nas.home.arpa", "subjectAltName=DNS:nas.home.arpa");
        var hostile = SignWithRootKey(dir, HomeLabRoot.Value, subject, names);

        Assert.True(plain.ExitCode == 0, plain.All);
        Assert.NotEqual(0, hostile.ExitCode);
        Assert.Contains("permitted subtree violation", hostile.All, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://nas.home.arpa/")]
    [InlineData("URI:https://nas.home.arpa/")]
    [InlineData("email:admin@nas.home.arpa")]
    [InlineData("admin@nas.home.arpa")]
    public void IssueLeaf_UriOrEmailName_RefusedAsNotAServerName(string name)
    {
        var result = Issue(HomeLabRoot.Value, "nas.home.arpa", name);

        Assert.False(result.IsSuccess);
        Assert.StartsWith("Server certificates carry DNS names and IP addresses only; remove \"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SignRequest_RequestAskingForUriAndEmail_IssuedWithoutThemAndOpenSslVerifies()
    {
        using var dir = new TempDirectory();
        var made = OpenSsl.Run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.File("req.key"),
            "-out", dir.File("req.pem"), "-subj", "/CN=nas.home.arpa/emailAddress=admin@nas.home.arpa",
            "-addext", "subjectAltName=DNS:nas.home.arpa,URI:http://nas.home.arpa/,email:admin@nas.home.arpa");
        Assert.True(made.ExitCode == 0, made.All);
        var request = SigningRequestReader.Read(File.ReadAllBytes(dir.File("req.pem"))).Value;

        var issued = new CertificateIssuer().SignRequest(HomeLabRoot.Value, request, new SignRequestOptions());

        Assert.True(issued.IsSuccess, issued.Error);
        Assert.Equal(["DNS:nas.home.arpa"], issued.Value.Certificate.SubjectAlternativeNames.Select(n => n.ToString()));
        Assert.Null(issued.Value.Certificate.Subject.Email);
        var verified = OpenSsl.VerifyServer(dir, HomeLabRoot.Value.Certificate, issued.Value.Certificate, null, "-verify_hostname", "nas.home.arpa");
        Assert.True(verified.ExitCode == 0, verified.All);
    }

    [Fact]
    public void IssueLeaf_InsideHomeLabConstraints_PassesOpenSslStrictVerify()
    {
        using var dir = new TempDirectory();
        var leaf = Issue(HomeLabRoot.Value, "nas1.home.arpa", "*.nas1.home.arpa", "192.168.1.10", "fd00::10").Value.Certificate;

        foreach (var check in new[] { new[] { "-verify_hostname", "nas1.home.arpa" }, ["-verify_ip", "192.168.1.10"], ["-verify_ip", "fd00::10"] })
        {
            var outcome = OpenSsl.VerifyServer(dir, HomeLabRoot.Value.Certificate, leaf, null, check);
            Assert.True(outcome.ExitCode == 0, outcome.All);
        }
    }

    [Theory]
    [InlineData("nas.example.com")]
    [InlineData("8.8.8.8")]
    [InlineData("2001:db8::1")]
    [InlineData("evilhome.arpa")]
    public void IssueLeaf_OutsideConstraints_RefusedNamingEntryAndCa(string outside)
    {
        var result = Issue(HomeLabRoot.Value, "nas.home.arpa", outside);

        Assert.False(result.IsSuccess);
        Assert.Contains($"\"{outside}\" is outside", result.Error, StringComparison.Ordinal);
        Assert.Contains("Constrained Root", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void IssueLeaf_OutsideConstraintsViaCommonName_Refused()
    {
        var result = new CertificateIssuer().IssueLeaf(HomeLabRoot.Value, new LeafOptions
        {
            Subject = DistinguishedName.Create("www.example.com").Value,
            SubjectAlternativeNames = TestPki.Names("nas.home.arpa"),
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        });

        Assert.False(result.IsSuccess);
        Assert.Contains("\"www.example.com\" is outside", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void IssueLeaf_IntermediateUnderConstrainedRoot_RootConstraintsStillApply()
    {
        var intermediate = new CertificateIssuer().CreateIntermediateCa(HomeLabRoot.Value, new IntermediateCaOptions
        {
            Subject = DistinguishedName.Create("Unconstrained Issuing CA").Value,
        }).Value;
        var ca = CertificateAuthority.Create(intermediate.Certificate, intermediate.Key!, intermediate.Chain).Value;

        var result = Issue(ca, "nas.example.com");

        Assert.False(result.IsSuccess);
        Assert.Contains("Constrained Root", result.Error, StringComparison.Ordinal);
        Assert.True(Issue(ca, "nas.lan").IsSuccess);
    }

    [Fact]
    public void IssueLeaf_CustomConstraints_InsidePassesOpenSslOutsideRefused()
    {
        using var dir = new TempDirectory();
        var constraints = NameConstraints.Create(["lab.example"], ["10.20.0.0/16"]).Value;
        var root = TestPki.CreateRoot("Lab Root", KeyAlgorithm.EcdsaP256, constraints);

        var inside = Issue(root, "nas.lab.example", "10.20.1.2").Value.Certificate;
        var verified = OpenSsl.VerifyServer(dir, root.Certificate, inside, null, "-verify_ip", "10.20.1.2");

        Assert.True(verified.ExitCode == 0, verified.All);
        Assert.False(Issue(root, "nas.home.arpa").IsSuccess);
        Assert.False(Issue(root, "nas.lab.example", "10.21.0.1").IsSuccess);
    }

    [Fact]
    public void HomeLabRoot_LeafSignedOutsideConstraintsByOpenSsl_OpenSslRejects()
    {
        // Proves the encoded constraint means what we think: a leaf our issuer refuses, made by openssl
        // with the same root key, fails verification.
        using var dir = new TempDirectory();

        var outcome = SignWithRootKey(dir, HomeLabRoot.Value, "/CN=nas.example.com", "subjectAltName=DNS:nas.example.com");

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("permitted subtree violation", outcome.All, StringComparison.Ordinal);
    }

    [Fact]
    public void DnsOnlyRoot_ExcludesEveryIpAddress_OursRefusesAndOpenSslRejectsAnotherToolsLeaf()
    {
        using var dir = new TempDirectory();
        var root = TestPki.CreateRoot("DNS Only Root", KeyAlgorithm.EcdsaP256, NameConstraints.Create(["lab.example"], []).Value);
        var text = OpenSsl.Text(root.Certificate);

        Assert.Contains("Excluded:", text, StringComparison.Ordinal);
        Assert.Contains("IP:0.0.0.0/0.0.0.0", text, StringComparison.Ordinal);
        Assert.Contains("IP:0:0:0:0:0:0:0:0/0:0:0:0:0:0:0:0", text, StringComparison.Ordinal);
        Assert.True(root.NameConstraints!.ClosesIpAddresses);
        Assert.False(root.NameConstraints.ClosesDnsNames);

        var refused = Issue(root, "nas.lab.example", "192.168.1.20");
        Assert.False(refused.IsSuccess);
        Assert.Contains("\"192.168.1.20\" is outside what the CA", refused.Error, StringComparison.Ordinal);
        Assert.Contains("(DNS: lab.example; IP: none)", refused.Error, StringComparison.Ordinal);

        var inside = Issue(root, "nas.lab.example").Value.Certificate;
        Assert.True(OpenSsl.VerifyServer(dir, root.Certificate, inside, null, "-verify_hostname", "nas.lab.example").ExitCode == 0);

        var plain = SignWithRootKey(dir, root, "/CN=nas.lab.example", "subjectAltName=DNS:nas.lab.example");
        var hostile = SignWithRootKey(dir, root, "/CN=nas.lab.example", "subjectAltName=DNS:nas.lab.example,IP:8.8.8.8");
        Assert.True(plain.ExitCode == 0, plain.All);
        Assert.NotEqual(0, hostile.ExitCode);
        Assert.Contains("excluded subtree violation", hostile.All, StringComparison.Ordinal);
    }

    [Fact]
    public void IpOnlyRoot_ExcludesEveryDnsName_IpLeafVerifiesAndOpenSslRejectsAnotherToolsDnsLeaf()
    {
        using var dir = new TempDirectory();
        var root = TestPki.CreateRoot("IP Only Root", KeyAlgorithm.EcdsaP256, NameConstraints.Create([], ["10.20.0.0/16"]).Value);
        var text = OpenSsl.Text(root.Certificate);

        Assert.Contains("Excluded:", text, StringComparison.Ordinal);
        Assert.Matches(@"Excluded:\s+DNS:\s*\n", text);
        Assert.True(root.NameConstraints!.ClosesDnsNames);
        Assert.False(root.NameConstraints.ClosesIpAddresses);

        var refused = Issue(root, "10.20.1.2", "nas.lab.example");
        Assert.False(refused.IsSuccess);
        Assert.Contains("(DNS: none; IP: 10.20.0.0/16)", refused.Error, StringComparison.Ordinal);

        // The address alone: its common name is left out, as OpenSSL would read "10.20.1.2" as a host name.
        var inside = Issue(root, "10.20.1.2").Value.Certificate;
        Assert.Null(inside.Subject.CommonName);
        var verified = OpenSsl.VerifyServer(dir, root.Certificate, inside, null, "-verify_ip", "10.20.1.2");
        Assert.True(verified.ExitCode == 0, verified.All);

        var plain = SignWithRootKey(dir, root, "/O=Home Lab", "subjectAltName=IP:10.20.1.2");
        var hostile = SignWithRootKey(dir, root, "/O=Home Lab", "subjectAltName=IP:10.20.1.2,DNS:www.example.com");
        Assert.True(plain.ExitCode == 0, plain.All);
        Assert.NotEqual(0, hostile.ExitCode);
        Assert.Contains("excluded subtree violation", hostile.All, StringComparison.Ordinal);
    }

    [Fact]
    public void HomeLabRoot_ListsBothForms_ExcludesNothing()
    {
        var text = OpenSsl.Text(HomeLabRoot.Value.Certificate);

        Assert.DoesNotContain("Excluded:", text, StringComparison.Ordinal);
        Assert.False(HomeLabRoot.Value.NameConstraints!.ClosesIpAddresses);
        Assert.False(HomeLabRoot.Value.NameConstraints.ClosesDnsNames);
    }

    /// <summary>
    /// A leaf made with the root's own key by another tool (openssl), then verified by openssl against the root: only the
    /// constraint itself can stop it.
    /// </summary>
    private static Outcome SignWithRootKey(TempDirectory dir, CertificateAuthority root, string subject, string san)
    {
        var rootFile = dir.Write("root.pem", root.Certificate.ToPem());
        var rootKey = dir.Write("root.key", Pem.Encode(Pem.PrivateKeyLabel, root.Key.ExportPkcs8()));
        var made = OpenSsl.Run("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", dir.File("leaf.key"), "-out", dir.File("leaf.pem"), "-subj", subject, "-days", "30",
            "-CA", rootFile, "-CAkey", rootKey, "-addext", san,
            "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=serverAuth");
        Assert.True(made.ExitCode == 0, made.All);
        return OpenSsl.Run("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", rootFile, dir.File("leaf.pem"));
    }
}
