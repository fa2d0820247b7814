using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SynoCertPanel.Web.Auth;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The whole panel in headless Chromium: an open settings page whose session is signed out elsewhere, or whose
/// account password changes, does not stay usable; it lands on the login page by itself.
/// </summary>
public sealed class SessionEndBrowserTests : IAsyncLifetime
{
    private BrowserPanel _panel = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private string Address => _panel.Address;

    public async Task InitializeAsync()
    {
        _panel = await BrowserPanel.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await HeadlessChromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _panel.DisposeAsync();
    }

    [Fact]
    public async Task SettingsPage_SameSessionSignedOutInAnotherBrowser_LandsOnLogin()
    {
        await using var first = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var settings = await first.NewPageAsync();
        await _panel.CreateAdminAsync(settings);
        await OpenSettingsAsync(settings);
        // The same session in another browser: its cookie copied over, as a thief would.
        await using var second = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        await second.AddCookiesAsync(Copies(await first.CookiesAsync()));
        Assert.Equal(1, _panel.Services.GetRequiredService<SessionCircuits>().Count);
        var other = await second.NewPageAsync();
        await other.GotoAsync(Address + "/account/password");

        await other.ClickAsync("form[action='/logout'] button[type=submit]");

        await LoginFormAsync(settings);
        Assert.Contains("/login", other.Url, StringComparison.Ordinal);
        await settings.GotoAsync(Address + "/settings");
        Assert.Contains("/login", settings.Url, StringComparison.Ordinal);
        Assert.Equal(0, _panel.Services.GetRequiredService<SessionCircuits>().Count);
    }

    [Fact]
    public async Task SettingsPage_PasswordChangedInAnotherSession_LandsOnLoginWhileTheChangingBrowserStays()
    {
        await using var first = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var changer = await first.NewPageAsync();
        await _panel.CreateAdminAsync(changer);
        var changerTab = await first.NewPageAsync();
        await OpenSettingsAsync(changerTab);
        await using var second = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var settings = await second.NewPageAsync();
        await settings.GotoAsync(Address + "/login");
        await settings.FillAsync("#UserName", BrowserPanel.AdminName);
        await settings.FillAsync("#Password", BrowserPanel.AdminPassword);
        await settings.ClickAsync("button[type=submit]");
        await OpenSettingsAsync(settings);
        await changerTab.EvaluateAsync("() => window.beforeThePasswordChange = true");

        await changer.GotoAsync(Address + "/account/password");
        await changer.FillAsync("#CurrentPassword", BrowserPanel.AdminPassword);
        await changer.FillAsync("#NewPassword", "an even longer new password");
        await changer.FillAsync("#ConfirmPassword", "an even longer new password");
        await changer.ClickAsync("form[action='/account/password'] button[type=submit]");

        await LoginFormAsync(settings);
        Assert.Contains("Your password is changed.", await changer.ContentAsync(), StringComparison.Ordinal);
        // The changing browser's other tab reloads at its next check, with the renewed cookie, and is still signed in.
        await changerTab.WaitForFunctionAsync("() => window.beforeThePasswordChange === undefined", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await changerTab.Locator("[data-testid=account-name]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.EndsWith("/settings", changerTab.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppBarSignOut_EndsTheSessionAndItsOtherTabs()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        await _panel.CreateAdminAsync(page);
        var otherTab = await context.NewPageAsync();
        await OpenSettingsAsync(otherTab);
        var cookies = await context.CookiesAsync();

        await page.ClickAsync("[data-testid=sign-out]");

        await LoginFormAsync(page);
        await LoginFormAsync(otherTab);
        // The cookie the browser held before is refused from now on, wherever it is replayed.
        await using var replay = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        await replay.AddCookiesAsync(Copies(cookies));
        var replayed = await replay.NewPageAsync();
        await replayed.GotoAsync(Address + "/settings");
        Assert.Contains("/login", replayed.Url, StringComparison.Ordinal);
    }

    /// <summary>Waits for the login form, whatever redirects led there.</summary>
    private static async Task LoginFormAsync(IPage page)
    {
        await page.Locator("#UserName").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
    }

    /// <summary>The same cookies, to be added to another browser context.</summary>
    private static IEnumerable<Cookie> Copies(IEnumerable<BrowserContextCookiesResult> cookies) => cookies.Select(c => new Cookie
    {
        Name = c.Name,
        Value = c.Value,
        Domain = c.Domain,
        Path = c.Path,
        Secure = c.Secure,
        HttpOnly = c.HttpOnly,
        SameSite = c.SameSite,
    });

    private async Task OpenSettingsAsync(IPage page)
    {
        await _panel.OpenAsync(page, "/settings");
        await page.Locator("[data-testid=account-name]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.Equal("admin", await page.Locator("[data-testid=account-name]").InnerTextAsync());
    }
}
