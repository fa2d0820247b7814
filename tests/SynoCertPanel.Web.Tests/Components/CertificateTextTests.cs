using SynoCertPanel.Web.Components.Certificates;

namespace SynoCertPanel.Web.Tests.Components;

public sealed class CertificateTextTests
{
    [Theory]
    [InlineData("O=Home Lab,CN=Home Lab Root CA", "Home Lab Root CA")]
    [InlineData("CN=nas1.home.arpa", "nas1.home.arpa")]
    [InlineData("C=DE,O=Home,CN=Disk Station Setup CA", "Disk Station Setup CA")]
    [InlineData(@"O=Smith\, Jones and Co,CN=Smith\, Jones CA", "Smith, Jones CA")]
    [InlineData(@"CN=a\+b\=c,O=x", "a+b=c")]
    [InlineData("cn=lower case attribute", "lower case attribute")]
    [InlineData("CN=first,OU=unit,CN=last", "last")]
    public void CommonNameOf_NameWithACommonName_GivesIt(string distinguishedName, string expected) =>
        Assert.Equal(expected, CertificateText.CommonNameOf(distinguishedName));

    [Theory]
    [InlineData("O=Only An Organisation,C=DE")]
    [InlineData("")]
    [InlineData("CN=")]
    [InlineData("====,,,\\")]
    [InlineData("no equals sign at all")]
    [InlineData("\\")]
    public void CommonNameOf_NoCommonNameOrGarbage_GivesTheWholeText(string distinguishedName) =>
        Assert.Equal(distinguishedName, CertificateText.CommonNameOf(distinguishedName));

    [Fact]
    public void CommonNameOf_HostileOrHugeText_ReturnsItLiterallyWithoutFailing()
    {
        Assert.Equal("<img src=x onerror=alert(2)>", CertificateText.CommonNameOf(@"O=SynoCertPanel,CN=\<img src\=x onerror\=alert(2)\>"));
        var huge = "CN=" + new string('a', 200_000);
        Assert.Equal(new string('a', 200_000), CertificateText.CommonNameOf(huge));
    }

    [Theory]
    [InlineData("camera.home.arpa", new[] { "camera.", "home.", "arpa" })]
    [InlineData("localhost", new[] { "localhost" })]
    [InlineData("", new[] { "" })]
    [InlineData("a..b", new[] { "a.", ".", "b" })]
    [InlineData("trailing.", new[] { "trailing.", "" })]
    public void DotSeparatedParts_SplitsAfterEachDot_AndJoinsBackToTheName(string name, string[] expected)
    {
        var parts = CertificateText.DotSeparatedParts(name);

        Assert.Equal(expected, parts);
        Assert.Equal(name, string.Concat(parts));
    }
}
