using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Chains;

public class ChainBuilderTests
{
    private static readonly ThreeLevelChain Chain = ThreeLevelChain.Shared;
    private static readonly Certificate Leaf = Chain.Leaf.Certificate;
    private static readonly Certificate Intermediate = Chain.Intermediate.Certificate;
    private static readonly Certificate Root = Chain.Root.Certificate;

    public static TheoryData<int[]> Orders() => new() { new[] { 0, 1, 2 }, new[] { 2, 1, 0 }, new[] { 1, 2, 0 }, new[] { 2, 0, 1 } };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Build_ShuffledThreeLevels_OrdersLeafIntermediateRoot(int[] order)
    {
        Certificate[] all = [Leaf, Intermediate, Root];

        var chain = ChainBuilder.Build(order.Select(i => all[i]));

        Assert.True(chain.IsSuccess, chain.ToString());
        Assert.Equal([Leaf, Intermediate, Root], chain.Value.FullChain);
        Assert.True(chain.Value.EndsAtRoot);
        Assert.Empty(chain.Warnings);
    }

    [Fact]
    public void Build_MissingIntermediate_ReportsBrokenChain()
    {
        var chain = ChainBuilder.Build([Root, Leaf]);

        Assert.False(chain.IsSuccess);
        Assert.Contains("broken", chain.Error, StringComparison.Ordinal);
        Assert.Contains("Chain Intermediate", chain.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithoutRoot_SucceedsWithWarningNamingIssuer()
    {
        var chain = ChainBuilder.Build([Intermediate, Leaf]);

        Assert.True(chain.IsSuccess, chain.ToString());
        Assert.False(chain.Value.EndsAtRoot);
        Assert.Contains(chain.Warnings, w => w.Contains("Chain Root", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_UnrelatedCertificate_LeftOutWithWarning()
    {
        var stranger = TestPki.Root.Certificate;

        var chain = ChainBuilder.Build([stranger, Root, Leaf, Intermediate]);

        Assert.True(chain.IsSuccess, chain.ToString());
        Assert.Equal([Leaf, Intermediate, Root], chain.Value.FullChain);
        Assert.Equal(stranger, Assert.Single(chain.Value.Unrelated));
        Assert.Contains(chain.Warnings, w => w.Contains("not part of", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_Duplicates_DroppedAndCounted()
    {
        var chain = ChainBuilder.Build([Leaf, Intermediate, Leaf, Root, Intermediate]);

        Assert.True(chain.IsSuccess, chain.ToString());
        Assert.Equal(3, chain.Value.FullChain.Count);
        Assert.Equal(2, chain.Value.DuplicatesDropped);
        Assert.Contains(chain.Warnings, w => w.Contains("duplicate", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_TwoLeaves_ReportsAmbiguity()
    {
        var other = TestPki.IssueServer(Chain.Intermediate, "other.home.arpa", "other.home.arpa").Certificate;

        var chain = ChainBuilder.Build([Leaf, other, Intermediate]);

        Assert.False(chain.IsSuccess);
        Assert.Contains("More than one", chain.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameNameDifferentKey_ExplainsSignatureMismatch()
    {
        var impostor = new ThreeLevelChain("Chain").Intermediate.Certificate;

        var chain = ChainBuilder.Build(Leaf, [impostor]);

        Assert.False(chain.IsSuccess);
        Assert.Contains("did not sign", chain.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Empty_Fails()
    {
        Assert.False(ChainBuilder.Build([]).IsSuccess);
    }

    [Fact]
    public void ToFullChainPem_OrderedChain_PassesOpenSslStrictVerify()
    {
        using var dir = new TempDirectory();
        var chain = ChainBuilder.Build([Root, Leaf, Intermediate]).Value;
        var fullChain = dir.Write("fullchain.pem", chain.ToFullChainPem());
        var intermediates = dir.Write("chain.pem", chain.ToChainPem());
        var ca = dir.Write("ca.pem", Root.ToPem());
        var leafOnly = dir.Write("leaf.pem", Leaf.ToPem());

        var verify = OpenSsl.Run("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", ca, "-untrusted", intermediates, leafOnly);
        var withoutChain = OpenSsl.Run("verify", "-x509_strict", "-CAfile", ca, leafOnly);

        Assert.True(verify.ExitCode == 0, verify.All);
        Assert.NotEqual(0, withoutChain.ExitCode);
        Assert.Equal(2, File.ReadAllText(fullChain).Split("BEGIN CERTIFICATE").Length - 1);
        Assert.StartsWith(Leaf.ToPem(), File.ReadAllText(fullChain), StringComparison.Ordinal);
        Assert.Equal(3, chain.ToFullChainPem(includeRoot: true).Split("BEGIN CERTIFICATE").Length - 1);
    }
}
