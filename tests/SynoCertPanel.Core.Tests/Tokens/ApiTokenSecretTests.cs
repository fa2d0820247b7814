using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Core.Tests.Tokens;

public sealed class ApiTokenSecretTests
{
    private const string Secret43 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    [Fact]
    public void Format_ThenParse_GivesTheIdAndSecretBack()
    {
        var secret = ApiTokenSecret.NewSecret();

        var text = ApiTokenSecret.Format(42, secret);
        var parsed = ApiTokenSecret.Parse(text);

        Assert.Matches("^scp_42_[A-Za-z0-9_-]{43}$", text);
        Assert.NotNull(parsed);
        Assert.Equal(42, parsed.Value.Id);
        Assert.Equal(secret, parsed.Value.Secret);
    }

    [Fact]
    public void NewSecret_Is32RandomBytes()
    {
        var first = ApiTokenSecret.NewSecret();
        var second = ApiTokenSecret.NewSecret();

        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("scp_")]
    [InlineData("scp_1")]
    [InlineData("scp_1_")]
    [InlineData("scp__" + Secret43)]
    [InlineData("scp_0_" + Secret43)]
    [InlineData("scp_01_" + Secret43)]
    [InlineData("scp_-1_" + Secret43)]
    [InlineData("scp_+1_" + Secret43)]
    [InlineData("scp_1a_" + Secret43)]
    [InlineData("scp_99999999999_" + Secret43)]
    [InlineData("SCP_1_" + Secret43)]
    [InlineData("Bearer scp_1_" + Secret43)]
    [InlineData("scp_1_" + Secret43 + "A")]
    [InlineData("scp_1_" + Secret43 + "=")]
    [InlineData("scp_1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("scp_1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("scp_1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("scp_1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\u00e9")]
    [InlineData(" scp_1_" + Secret43)]
    [InlineData("scp_1_" + Secret43 + " ")]
    public void Parse_NotAToken_ReturnsNull(string? text) => Assert.Null(ApiTokenSecret.Parse(text));

    [Fact]
    public void Parse_VeryLongText_ReturnsNullWithoutDecoding() => Assert.Null(ApiTokenSecret.Parse("scp_1_" + new string('A', 1_000_000)));

    [Fact]
    public void Parse_AllZeroSecret_IsAWellFormedToken()
    {
        var parsed = ApiTokenSecret.Parse("scp_1_" + Secret43);

        Assert.NotNull(parsed);
        Assert.Equal(new byte[32], parsed.Value.Secret);
    }
}
