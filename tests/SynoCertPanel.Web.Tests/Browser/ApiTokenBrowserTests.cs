using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>A token made on the real Settings page in Chromium works against /api/v1 and stops working once revoked there.</summary>
public sealed class ApiTokenBrowserTests : IAsyncLifetime
{
    private static readonly LocatorWaitForOptions Shown = new() { Timeout = 15_000 };
    private BrowserPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await BrowserPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task SettingsPage_TokenCreatedThenRevoked_ApiAnswers200ThenRefuses401()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        var problems = await BrowserPanel.WatchForErrorsAsync(page);
        await _panel.CreateAdminAsync(page);
        await _panel.OpenAsync(page, "/settings");

        await page.ClickAsync("[data-testid=token-create]");
        await page.FillAsync("[data-testid=token-name-input] input, input[data-testid=token-name-input]", "grafana on nas2");
        await page.FillAsync("[data-testid=token-password] input, input[data-testid=token-password]", BrowserPanel.AdminPassword);
        await page.ClickAsync("[data-testid=token-save]");
        var secretField = page.Locator("[data-testid=token-secret] input, input[data-testid=token-secret]");
        await secretField.WaitForAsync(Shown);
        var secret = await secretField.InputValueAsync();
        Assert.Contains($"Bearer {secret}\" {_panel.Address}/api/v1/certificates", await page.Locator("[data-testid=token-curl]").InnerTextAsync(), StringComparison.Ordinal);

        using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator })
        {
            BaseAddress = new Uri(_panel.Address),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var allowed = await client.GetAsync(new Uri("/api/v1/certificates", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        await page.ClickAsync("[data-testid=token-done]");
        await Assertions.Expect(page.Locator("[data-testid=token-dialog]")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        var row = page.Locator("[data-testid^=token-row-]", new PageLocatorOptions { HasText = "grafana on nas2" });
        await Assertions.Expect(row.Locator("[data-testid=token-state]")).ToHaveTextAsync("Active");
        // The API call just made is the token's last use.
        await page.ReloadAsync();
        await BrowserPanel.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(row.Locator("[data-testid=token-last-used]")).Not.ToHaveTextAsync("Never");

        await row.Locator("[data-testid^=token-revoke-]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=revoke-question]")).ToHaveTextAsync("Revoke the token \"grafana on nas2\"?");
        await page.FillAsync("[data-testid=revoke-password] input, input[data-testid=revoke-password]", BrowserPanel.AdminPassword);
        await page.ClickAsync("[data-testid=revoke-confirm]");
        await Assertions.Expect(row.Locator("[data-testid=token-state]")).ToContainTextAsync("Revoked");

        var refused = await client.GetAsync(new Uri("/api/v1/certificates", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("was revoked", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(problems);
    }
}
