using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Panel;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Core.Tests.Boxes.Panel;

public sealed class PanelOptionsTests
{
    private const string Url = "https://nas2.home.arpa:8443";

    private static readonly string Token = ApiTokenSecret.Format(12, new byte[ApiTokenSecret.SecretBytes]);

    private readonly PanelDelivery _method = new(TimeProvider.System);

    private Pki.Result<(Dictionary<string, string> Settings, Dictionary<string, string> Secrets)> Check(string url, string? token, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>(more ?? []) { [BoxTls.UrlOption] = url };
        return DeliveryOptions.Check(_method, settings, token is null ? null : new Dictionary<string, string> { [PanelOptions.Token] = token });
    }

    [Fact]
    public void Check_AddressAndToken_AreKept_TrustDefaultsToPin()
    {
        var checkedOptions = Check(Url, Token);

        Assert.True(checkedOptions.IsSuccess, checkedOptions.Error);
        Assert.Equal(Token, checkedOptions.Value.Secrets[PanelOptions.Token]);
        Assert.Equal(BoxTls.PinTrust, DeliveryOptions.WithDefaults(_method, checkedOptions.Value.Settings)[BoxTls.TrustOption]);
    }

    [Theory]
    [InlineData("secret")]
    [InlineData("scp_0_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("scp_12_tooshort")]
    [InlineData("Bearer scp_12_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("scp_12_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nscp_13_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Check_NotAPanelToken_IsRefused_WithoutRepeatingIt(string token)
    {
        var checkedOptions = Check(Url, token);

        Assert.False(checkedOptions.IsSuccess);
        Assert.StartsWith("The API token is not one a SynoCertPanel makes", checkedOptions.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Trim(), checkedOptions.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TokenAsPlainSetting_IsRefused()
    {
        var checkedOptions = Check(Url, null, new Dictionary<string, string> { [PanelOptions.Token] = Token });

        Assert.False(checkedOptions.IsSuccess);
        Assert.Contains("is a secret: give it from a file (--api-token-file)", checkedOptions.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NoToken_NamesTheOptionAndTheScopes()
    {
        var checkedOptions = Check(Url, null);

        Assert.False(checkedOptions.IsSuccess);
        Assert.Contains("(--api-token-file)", checkedOptions.Error, StringComparison.Ordinal);
        Assert.Contains($"{ApiScopes.CertificatesRead} and {ApiScopes.CertificatesWrite}", checkedOptions.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://nas2.home.arpa:8443", "does not start with https://")]
    [InlineData("https://nas2.home.arpa:8443/api/v1", "has a path, query or fragment")]
    [InlineData("https://admin:pw@nas2.home.arpa:8443", "holds a user name or password")]
    [InlineData("nas2", "is not an address the panel can call")]
    public void Check_BadAddress_IsRefusedWithTheReason(string url, string reason)
    {
        var checkedOptions = Check(url, Token);

        Assert.False(checkedOptions.IsSuccess);
        Assert.Contains(reason, checkedOptions.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_AKeyFromHere_IsRefused_BecauseThePanelMakesItsOwn()
    {
        var target = new DeliveryTarget("nas2", ["nas2.home.arpa"], new Dictionary<string, string> { [BoxTls.UrlOption] = Url },
            new Dictionary<string, string> { [PanelOptions.Token] = Token });

        var outcome = await _method.DeliverAsync(target, new DeliveryBundle(1, "x", "c", string.Empty, null, "k", "F"), default);

        Assert.False(outcome.Succeeded);
        Assert.Equal(DeliveryFailure.Settings, outcome.Failure);
        Assert.Contains("makes its own key", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_WhenThePanelServedNothingOfItsInventory_SaysSo_AndCallsNothing()
    {
        var target = new DeliveryTarget("nas2", ["nas2.home.arpa"], new Dictionary<string, string> { [BoxTls.UrlOption] = "https://127.0.0.1:9" },
            new Dictionary<string, string> { [PanelOptions.Token] = Token });

        var outcome = await _method.RestoreServedAsync(target, new BoxRequest("csr", "7", null), default);

        Assert.False(outcome.Succeeded);
        Assert.Equal(DeliveryFailure.Settings, outcome.Failure);
        Assert.Empty(outcome.Steps);
    }
}
