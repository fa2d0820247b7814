using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Issuance;

public class IntermediateChainTests
{
    private static (CertificateAuthority Root, IssuedCertificate Intermediate, CertificateAuthority IssuingCa) Chain(
        KeyAlgorithm rootKey, KeyAlgorithm intermediateKey)
    {
        var root = TestPki.CreateRoot($"Chain Root {rootKey}", rootKey, allowIntermediates: true);
        var intermediate = new CertificateIssuer().CreateIntermediateCa(root, new IntermediateCaOptions
        {
            Subject = DistinguishedName.Create($"Issuing CA {intermediateKey}", "Home Lab").Value,
            KeyAlgorithm = intermediateKey,
        });
        Assert.True(intermediate.IsSuccess, intermediate.Error);
        var ca = CertificateAuthority.Create(intermediate.Value.Certificate, intermediate.Value.Key!, intermediate.Value.Chain).Value;
        return (root, intermediate.Value, ca);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP384, KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256, KeyAlgorithm.Rsa2048)]
    public void IssueLeaf_ViaIntermediate_VerifiesWithUntrustedIntermediateOnly(KeyAlgorithm rootKey, KeyAlgorithm intermediateKey, KeyAlgorithm leafKey)
    {
        using var dir = new TempDirectory();
        var (root, intermediate, ca) = Chain(rootKey, intermediateKey);
        var leaf = new CertificateIssuer().IssueLeaf(ca, new LeafOptions
        {
            SubjectAlternativeNames = TestPki.Names("nas1.home.arpa", "192.168.1.10"),
            KeyAlgorithm = leafKey,
        }).Value;

        Assert.Equal([intermediate.Certificate, root.Certificate], leaf.Chain);
        Assert.Equal(3, leaf.FullChain.Count);
        var verified = OpenSsl.VerifyServer(dir, root.Certificate, leaf.Certificate, [intermediate.Certificate], "-verify_hostname", "nas1.home.arpa");
        Assert.True(verified.ExitCode == 0, verified.All);
        var withoutIntermediate = OpenSsl.VerifyServer(dir, root.Certificate, leaf.Certificate);
        Assert.NotEqual(0, withoutIntermediate.ExitCode);
        Assert.Contains("unable to get local issuer certificate", withoutIntermediate.All, StringComparison.Ordinal);
        Assert.Matches(@"CA:TRUE, pathlen:1", OpenSsl.Text(root.Certificate));
        Assert.Matches(@"X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0", OpenSsl.Text(intermediate.Certificate));
    }

    [Fact]
    public void CreateIntermediateCa_RootWithoutIntermediates_Refused()
    {
        var result = new CertificateIssuer().CreateIntermediateCa(TestPki.Root, new IntermediateCaOptions
        {
            Subject = DistinguishedName.Create("Sub CA").Value,
        });

        Assert.False(result.IsSuccess);
        Assert.Contains("path length is 0", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateIntermediateCa_BelowAnIntermediate_Refused()
    {
        var (_, _, ca) = Chain(KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP256);

        var result = new CertificateIssuer().CreateIntermediateCa(ca, new IntermediateCaOptions
        {
            Subject = DistinguishedName.Create("Sub-sub CA").Value,
        });

        Assert.False(result.IsSuccess);
        Assert.Contains("path length is 0", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateIntermediateCa_NoCommonName_Refused()
    {
        var root = TestPki.CreateRoot("CN Root", KeyAlgorithm.EcdsaP256, allowIntermediates: true);

        var result = new CertificateIssuer().CreateIntermediateCa(root, new IntermediateCaOptions
        {
            Subject = DistinguishedName.Create(null, "Home").Value,
        });

        Assert.False(result.IsSuccess);
        Assert.Contains("common name", result.Error, StringComparison.Ordinal);
    }
}
