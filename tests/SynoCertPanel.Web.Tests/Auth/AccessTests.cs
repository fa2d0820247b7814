using System.Net;

namespace SynoCertPanel.Web.Tests.Auth;

public sealed class AccessTests : IAsyncLifetime
{
    private TestPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await TestPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/api/certificates")]
    [InlineData("/keys/download")]
    [InlineData("/account/password")]
    [InlineData("/account/two-factor")]
    [InlineData("/reauthenticate")]
    [InlineData("/no-such-page")]
    public async Task Unauthenticated_Page_RedirectsToLogin(string path)
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
    }

    [Theory]
    [InlineData("/api/certificates")]
    [InlineData("/keys/download")]
    [InlineData("/_blazor")]
    public async Task Unauthenticated_ApiOrHub_Gets401(string path)
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.GetApiAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Unauthenticated_HubNegotiate_Gets401()
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.PostAsync("/_blazor/negotiate?negotiateVersion=1", new StringContent(string.Empty));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/health", "ok")]
    [InlineData("/trust", "trust page")]
    [InlineData("/trust/root.pem", "root certificate")]
    public async Task Unauthenticated_HealthAndTrust_StayPublic(string path, string body)
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/setup")]
    public async Task Unauthenticated_LoginAndSetup_AreServed(string path)
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<form method=\"post\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ReturnUrlOnAnotherSite_GoesToThePanelHome()
    {
        (await _panel.SetUpAdminAsync()).Dispose();
        using var browser = _panel.NewBrowser();

        var response = await browser.SubmitAsync("/login", "/login", new()
        {
            ["UserName"] = TestPanel.AdminName,
            ["Password"] = TestPanel.AdminPassword,
            ["ReturnUrl"] = "//evil.example/phish",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }
}
