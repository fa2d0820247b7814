using Microsoft.Playwright;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The whole panel as `synocertpanel serve` builds it (real HTTPS listener, login, security headers) in a real
/// headless Chromium: first-run setup with the token from the log, then the certificate page becomes
/// interactive and lists the start-up certificate, with no script error and no content-security-policy violation.
/// </summary>
public sealed class PanelEndToEndTests : IAsyncLifetime
{
    private BrowserPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await BrowserPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task FirstRun_SetupThenCertificatesPage_InteractiveWithoutScriptOrPolicyErrors()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        var problems = await BrowserPanel.WatchForErrorsAsync(page);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                problems.Add($"{response.Status} {response.Url}");
            }
        };

        await page.GotoAsync(_panel.Address + "/");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await _panel.CreateAdminAsync(page);
        var rows = page.Locator("[data-testid=certificate-table] tbody tr.mud-table-row");
        await rows.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        Assert.Contains("localhost", await page.Locator("[data-testid=certificate-table]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("admin", await page.Locator("[data-testid=signed-in-user]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
