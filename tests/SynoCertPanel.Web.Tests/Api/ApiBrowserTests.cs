using System.Text.Json;
using Microsoft.Playwright;
using SynoCertPanel.Web.Tests.Browser;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>A real Chromium signed in to the panel: its session runs the pages, and opens no API call.</summary>
public sealed class ApiBrowserTests : IAsyncLifetime
{
    private BrowserPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await BrowserPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task SignedInChromium_NavigatingOrFetching_Gets401FromTheApi()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        await _panel.CreateAdminAsync(page);
        Assert.Contains(BrowserPanel.AdminName, await page.Locator("[data-testid=signed-in-user]").InnerTextAsync(), StringComparison.Ordinal);

        // A same-origin fetch from a panel page, as a script injected into it would try, cookies included.
        var fetched = await page.EvaluateAsync<JsonElement>(
            "async () => { const r = await fetch('/api/v1/certificates', { credentials: 'include' }); return { status: r.status, type: r.headers.get('content-type'), body: await r.text() }; }");
        var navigation = await page.GotoAsync(_panel.Address + "/api/v1/certificates");

        Assert.Equal(401, fetched.GetProperty("status").GetInt32());
        Assert.StartsWith("application/problem+json", fetched.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains("No API token", fetched.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(401, navigation!.Status);
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == "__Host-synocert");
    }
}
