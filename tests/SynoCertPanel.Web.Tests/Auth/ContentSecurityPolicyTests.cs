using Microsoft.AspNetCore.Http;
using SynoCertPanel.Web.Protection;

namespace SynoCertPanel.Web.Tests.Auth;

public sealed class ContentSecurityPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1:8443", "wss://127.0.0.1:8443")]
    [InlineData("nas.home.arpa", "wss://nas.home.arpa")]
    [InlineData("NAS.Home.Arpa:5001", "wss://nas.home.arpa:5001")]
    [InlineData("xn--mnchen-3ya.de:443", "wss://xn--mnchen-3ya.de:443")]
    public void OwnWebSocketOrigin_PlainHost_IsTheWssOriginOfThatHost(string host, string expected) =>
        Assert.Equal(expected, PanelContentSecurityPolicy.OwnWebSocketOrigin(new HostString(host)));

    [Theory]
    [InlineData("evil.example;script-src *")]
    [InlineData("evil.example 'unsafe-inline'")]
    [InlineData("127.0.0.1:1 'unsafe-eval'")]
    [InlineData("127.0.0.1:1;connect-src")]
    [InlineData("a,b")]
    [InlineData("host'")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:0")]
    [InlineData("[::1]:8443")]
    [InlineData("münchen.de")]
    [InlineData("-leading.example")]
    [InlineData("")]
    public void OwnWebSocketOrigin_HostThatIsNotAPlainNameOrAddress_IsLeftOut(string host) =>
        Assert.Null(PanelContentSecurityPolicy.OwnWebSocketOrigin(new HostString(host)));

    [Fact]
    public void For_HostileHost_KeepsOnlySelfInConnectSrc()
    {
        var policy = PanelContentSecurityPolicy.For(new HostString("evil.example; script-src *"));

        Assert.Contains("connect-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("*", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void ForScriptNonce_AllowsThatNonceBesideSelf_AndNothingElseInline()
    {
        var policy = PanelContentSecurityPolicy.ForScriptNonce(new HostString("nas.home.arpa:8443"), "q1w2E3r4T5y6U7i8O9p0Aa==");

        Assert.Contains("script-src 'self' 'nonce-q1w2E3r4T5y6U7i8O9p0Aa==';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal(PanelContentSecurityPolicy.For(new HostString("nas.home.arpa:8443")),
            policy.Replace(" 'nonce-q1w2E3r4T5y6U7i8O9p0Aa=='", string.Empty, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("abc' 'unsafe-inline")]
    [InlineData("abc; script-src *")]
    [InlineData("abc def")]
    [InlineData("abc===")]
    [InlineData("")]
    public void ForScriptNonce_TextThatIsNotBase64_IsRefused(string nonce) =>
        Assert.ThrowsAny<ArgumentException>(() => PanelContentSecurityPolicy.ForScriptNonce(new HostString("nas.home.arpa"), nonce));
}
