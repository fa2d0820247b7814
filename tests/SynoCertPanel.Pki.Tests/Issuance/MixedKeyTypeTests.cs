using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Issuance;

public class MixedKeyTypeTests
{
    [Theory]
    [InlineData(KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256, "sha256WithRSAEncryption", "id-ecPublicKey", "Digital Signature")]
    [InlineData(KeyAlgorithm.EcdsaP384, KeyAlgorithm.Rsa2048, "ecdsa-with-SHA384", "rsaEncryption", "Digital Signature, Key Encipherment")]
    [InlineData(KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384, "ecdsa-with-SHA256", "id-ecPublicKey", "Digital Signature")]
    public void IssueLeaf_CaAndLeafKeyTypesDiffer_SignedWithCaKeyAndUsagesForLeafKey(KeyAlgorithm caKey, KeyAlgorithm leafKey,
        string signature, string publicKey, string keyUsage)
    {
        using var dir = new TempDirectory();
        var root = TestPki.CreateRoot($"Mixed {caKey}", caKey);
        var leaf = new CertificateIssuer().IssueLeaf(root, new LeafOptions
        {
            Subject = DistinguishedName.Create("nas1.home.arpa").Value,
            KeyAlgorithm = leafKey,
        }).Value;

        var text = OpenSsl.Text(leaf.Certificate);

        Assert.Contains($"Signature Algorithm: {signature}", text, StringComparison.Ordinal);
        Assert.Contains($"Public Key Algorithm: {publicKey}", text, StringComparison.Ordinal);
        Assert.Matches($@"X509v3 Key Usage: critical\s+{keyUsage}\n", text);
        Assert.Equal(leafKey, leaf.Key!.Algorithm);
        Assert.True(leaf.Certificate.IsSignedBy(root.Certificate));
        var verified = OpenSsl.VerifyServer(dir, root.Certificate, leaf.Certificate, null, "-verify_hostname", "nas1.home.arpa");
        Assert.True(verified.ExitCode == 0, verified.All);
    }
}
