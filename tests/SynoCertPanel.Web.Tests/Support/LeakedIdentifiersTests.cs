namespace SynoCertPanel.Web.Tests.Support;

public sealed class LeakedIdentifiersTests
{
    [Theory]
    [InlineData("_signError")]
    [InlineData("_actor")]
    [InlineData("Signed by _actor")]
    [InlineData("Error: _planError")]
    public void Contains_FieldName_IsFound(string text) => Assert.True(LeakedIdentifiers.Contains(text));

    [Theory]
    [InlineData("E2E_Root.crt")]
    [InlineData("Root_CA_for_files.lab.internal.crt")]
    [InlineData("_acme-challenge.nas.home.arpa")]
    [InlineData("nas2.home.arpa")]
    [InlineData("admin")]
    [InlineData("")]
    public void Contains_OrdinaryText_IsNotFound(string text) => Assert.False(LeakedIdentifiers.Contains(text));
}
