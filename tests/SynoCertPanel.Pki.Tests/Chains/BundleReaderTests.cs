using System.Text;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Chains;

public class BundleReaderTests
{
    private static readonly ThreeLevelChain Chain = ThreeLevelChain.Shared;

    private static BundleFile Text(string name, string content) => new(name, Encoding.ASCII.GetBytes(content));

    [Fact]
    public void Read_OnePemWithKeyCertAndChainShuffled_AssemblesBundle()
    {
        var pem = Chain.Root.Certificate.ToPem() + PrivateKeyWriter.ToTraditionalPem(Chain.Leaf.Key!)
            + Chain.Intermediate.Certificate.ToPem() + Chain.Leaf.Certificate.ToPem();

        var bundle = BundleReader.Read([Text("all.pem", pem)]);

        Assert.True(bundle.IsSuccess, bundle.ToString());
        Assert.Equal(Chain.Leaf.Certificate, bundle.Value.Leaf);
        Assert.Equal([Chain.Intermediate.Certificate, Chain.Root.Certificate], bundle.Value.Chain);
        Assert.True(bundle.Value.Leaf.Matches(bundle.Value.Key!));
    }

    [Fact]
    public void Read_SeparateFilesInDerAndEncryptedPem_AssemblesBundle()
    {
        var files = new[]
        {
            new BundleFile("leaf.der", Chain.Leaf.Certificate.ToDer()),
            Text("key.pem", PrivateKeyWriter.ToEncryptedPkcs8Pem(Chain.Leaf.Key!, "pw")),
            Text("chain.pem", Chain.Intermediate.Certificate.ToPem()),
        };

        var withoutPassphrase = BundleReader.Read(files);
        var bundle = BundleReader.Read(files, "pw");

        Assert.Equal(ReadProblem.PassphraseRequired, withoutPassphrase.Problem);
        Assert.True(bundle.IsSuccess, bundle.ToString());
        Assert.Equal([Chain.Leaf.Certificate, Chain.Intermediate.Certificate], bundle.Value.FullChain);
    }

    [Fact]
    public void Read_KeyOfAnotherCertificate_RefusedAsMismatch()
    {
        var otherKey = Pki.Keys.KeyGenerator.Generate(Pki.Keys.KeyAlgorithm.EcdsaP256);

        var bundle = BundleReader.Read([Text("cert.pem", Chain.Leaf.Certificate.ToPem()), new BundleFile("key.der", otherKey.ExportPkcs8())]);

        Assert.Equal(ReadProblem.Inconsistent, bundle.Problem);
        Assert.Contains("does not belong", bundle.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TwoDifferentKeys_Refused()
    {
        var otherKey = Pki.Keys.KeyGenerator.Generate(Pki.Keys.KeyAlgorithm.EcdsaP256);

        var bundle = BundleReader.Read([
            Text("a.pem", PrivateKeyWriter.ToPkcs8Pem(Chain.Leaf.Key!) + Chain.Leaf.Certificate.ToPem()),
            Text("b.key", PrivateKeyWriter.ToPkcs8Pem(otherKey)),
        ]);

        Assert.Equal(ReadProblem.Inconsistent, bundle.Problem);
        Assert.Contains("2 different private keys", bundle.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SameKeyTwice_Accepted()
    {
        var key = PrivateKeyWriter.ToPkcs8Pem(Chain.Leaf.Key!);

        var bundle = BundleReader.Read([Text("a.pem", key + Chain.Leaf.Certificate.ToPem()), Text("b.key", key)]);

        Assert.True(bundle.IsSuccess, bundle.ToString());
    }

    [Fact]
    public void Read_KeyOnly_RefusedForMissingCertificate()
    {
        var bundle = BundleReader.Read([Text("key.pem", PrivateKeyWriter.ToPkcs8Pem(Chain.Leaf.Key!))]);

        Assert.Equal(ReadProblem.Inconsistent, bundle.Problem);
        Assert.Contains("no certificate", bundle.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CertificatesWithoutKey_BuildsChainFromLeaf()
    {
        var bundle = BundleReader.Read([Text("chain.pem", Chain.Intermediate.Certificate.ToPem() + Chain.Leaf.Certificate.ToPem())]);

        Assert.True(bundle.IsSuccess, bundle.ToString());
        Assert.Null(bundle.Value.Key);
        Assert.Equal(Chain.Leaf.Certificate, bundle.Value.Leaf);
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("garbage", "\u0001\u0002 nothing here")]
    [InlineData("noise only", "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n")]
    public void Read_BadFile_FailsNamingTheFile(string name, string content)
    {
        var bundle = BundleReader.Read([Text($"{name}.pem", content)]);

        Assert.False(bundle.IsSuccess);
        Assert.Equal(ReadProblem.Damaged, bundle.Problem);
        Assert.Contains(name, bundle.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingIntermediate_RefusedAsBrokenChain()
    {
        var bundle = BundleReader.Read([Text("all.pem", Chain.Leaf.Certificate.ToPem() + Chain.Root.Certificate.ToPem())]);

        Assert.Equal(ReadProblem.Inconsistent, bundle.Problem);
        Assert.Contains("broken", bundle.Error, StringComparison.Ordinal);
    }
}
