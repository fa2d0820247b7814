using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Interop;

public class OpenSslVerifyTests
{
    public static TheoryData<KeyAlgorithm, KeyAlgorithm> KeyPairs()
    {
        var data = new TheoryData<KeyAlgorithm, KeyAlgorithm>();
        foreach (var ca in KeyAlgorithms.All)
        {
            data.Add(ca, ca == KeyAlgorithm.Rsa4096 ? KeyAlgorithm.EcdsaP384 : KeyAlgorithm.Rsa2048);
        }

        data.Add(KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256);
        data.Add(KeyAlgorithm.EcdsaP384, KeyAlgorithm.Rsa3072);
        return data;
    }

    [Theory]
    [MemberData(nameof(KeyPairs))]
    public void IssueLeaf_AnyKeyTypes_PassesOpenSslStrictVerifyByNameAndIp(KeyAlgorithm caKey, KeyAlgorithm leafKey)
    {
        using var dir = new TempDirectory();
        var root = TestPki.CreateRoot($"Root {caKey}", caKey);
        var leaf = new CertificateIssuer().IssueLeaf(root, new LeafOptions
        {
            Subject = DistinguishedName.Create("nas1.home.arpa").Value,
            SubjectAlternativeNames = TestPki.Names("192.168.1.10", "::1"),
            KeyAlgorithm = leafKey,
        }).Value;

        var caFile = dir.Write("ca.pem", root.Certificate.ToPem());
        var leafFile = dir.Write("leaf.pem", leaf.Certificate.ToPem());
        foreach (var check in new[] { new[] { "-verify_hostname", "nas1.home.arpa" }, ["-verify_ip", "192.168.1.10"], ["-verify_ip", "::1"] })
        {
            var outcome = OpenSsl.Run(["verify", "-x509_strict", "-auth_level", "2", "-purpose", "sslserver", .. check, "-CAfile", caFile, leafFile]);
            Assert.True(outcome.ExitCode == 0, outcome.All);
            Assert.Contains("OK", outcome.Output, StringComparison.Ordinal);
        }

        var wrongName = OpenSsl.Run("verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "other.home.arpa", "-CAfile", caFile, leafFile);
        Assert.NotEqual(0, wrongName.ExitCode);
    }

    [Fact]
    public void CreateRootCa_ReadByOpenSsl_HasCriticalCaConstraintsAndKeyUsage()
    {
        var root = TestPki.CreateRoot("Home Root", KeyAlgorithm.Rsa2048);
        var text = OpenSsl.Run(System.Text.Encoding.ASCII.GetBytes(root.Certificate.ToPem()), "x509", "-noout", "-text").Output;

        Assert.Matches(@"X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0", text);
        Assert.Matches(@"X509v3 Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign", text);
        Assert.Contains("X509v3 Subject Key Identifier", text, StringComparison.Ordinal);
        Assert.Contains("Signature Algorithm: sha256WithRSAEncryption", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateSigningRequest_ReadByOpenSsl_VerifiesAndCarriesSans()
    {
        using var dir = new TempDirectory();
        var key = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);
        var csr = CertificateIssuer.CreateSigningRequest(DistinguishedName.Create("nas2.home.arpa", "Home").Value,
            TestPki.Names("192.168.1.11"), key).Value;
        var file = dir.Write("req.csr", csr.ToPem());

        var outcome = OpenSsl.Run("req", "-in", file, "-noout", "-verify", "-text");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("verify OK", outcome.All, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("DNS:nas2.home.arpa", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("IP Address:192.168.1.11", outcome.Output, StringComparison.Ordinal);
        Assert.Equal(Pem.Encode(Pem.CertificateRequestLabel, csr.ToDer()), csr.ToPem());
    }
}
