using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SynoCertPanel.Web.Auth;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The whole panel in headless Chromium: an open settings page whose session is signed out elsewhere, or whose
/// account password changes, does not stay usable; it lands on the login page by itself.
/// </summary>
public sealed class SessionEndBrowserTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private readonly string _directory = Directory.CreateTempSubdirectory("synocert-e2e-session-").FullName;
    private WebApplication _app = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    public async Task InitializeAsync()
    {
        var options = new ServeOptions { DataDirectory = Path.Combine(_directory, "data"), HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback };
        _app = (await PanelHost.BuildAsync(options)).Value;
        await _app.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await HeadlessChromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task SettingsPage_SameSessionSignedOutInAnotherBrowser_LandsOnLogin()
    {
        await using var first = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var settings = await first.NewPageAsync();
        await SetUpAsync(settings);
        await OpenSettingsAsync(settings);
        // The same session in another browser: its cookie copied over, as a thief would.
        await using var second = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        await second.AddCookiesAsync((await first.CookiesAsync()).Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Domain = c.Domain,
            Path = c.Path,
            Secure = c.Secure,
            HttpOnly = c.HttpOnly,
            SameSite = c.SameSite,
        }));
        Assert.Equal(1, _app.Services.GetRequiredService<SessionCircuits>().Count);
        var other = await second.NewPageAsync();
        await other.GotoAsync(Address + "/account/password");

        await other.ClickAsync("form[action='/logout'] button[type=submit]");

        await LoginFormAsync(settings);
        Assert.Contains("/login", other.Url, StringComparison.Ordinal);
        await settings.GotoAsync(Address + "/settings");
        Assert.Contains("/login", settings.Url, StringComparison.Ordinal);
        Assert.Equal(0, _app.Services.GetRequiredService<SessionCircuits>().Count);
    }

    [Fact]
    public async Task SettingsPage_PasswordChangedInAnotherSession_LandsOnLoginWhileTheChangingBrowserStays()
    {
        await using var first = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var changer = await first.NewPageAsync();
        await SetUpAsync(changer);
        var changerTab = await first.NewPageAsync();
        await OpenSettingsAsync(changerTab);
        await using var second = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var settings = await second.NewPageAsync();
        await settings.GotoAsync(Address + "/login");
        await settings.FillAsync("#UserName", "admin");
        await settings.FillAsync("#Password", Password);
        await settings.ClickAsync("button[type=submit]");
        await OpenSettingsAsync(settings);
        await changerTab.EvaluateAsync("() => window.beforeThePasswordChange = true");

        await changer.GotoAsync(Address + "/account/password");
        await changer.FillAsync("#CurrentPassword", Password);
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
        await SetUpAsync(page);
        var otherTab = await context.NewPageAsync();
        await OpenSettingsAsync(otherTab);
        var cookies = await context.CookiesAsync();

        await page.ClickAsync("[data-testid=sign-out]");

        await LoginFormAsync(page);
        await LoginFormAsync(otherTab);
        // The cookie the browser held before is refused from now on, wherever it is replayed.
        await using var replay = await _browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        await replay.AddCookiesAsync(cookies.Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Domain = c.Domain,
            Path = c.Path,
            Secure = c.Secure,
            HttpOnly = c.HttpOnly,
            SameSite = c.SameSite,
        }));
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

    private async Task SetUpAsync(IPage page)
    {
        await page.GotoAsync(Address + "/setup");
        await page.FillAsync("#SetupToken", _app.Services.GetRequiredService<SetupToken>().Display!);
        await page.FillAsync("#Password", Password);
        await page.FillAsync("#ConfirmPassword", Password);
        await page.ClickAsync("button[type=submit]");
        await page.Locator("#panel-interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });
    }

    private async Task OpenSettingsAsync(IPage page)
    {
        await page.GotoAsync(Address + "/settings");
        await page.Locator("#panel-interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await page.Locator("[data-testid=account-name]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.Equal("admin", await page.Locator("[data-testid=account-name]").InnerTextAsync());
    }
}
