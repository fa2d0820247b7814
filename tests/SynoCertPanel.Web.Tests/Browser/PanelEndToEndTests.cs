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
/// The whole panel as `synocertpanel serve` builds it (real HTTPS listener, login, security headers) in a real
/// headless Chromium: first-run setup with the token from the log, then the certificate page becomes
/// interactive and lists the start-up certificate, with no script error and no content-security-policy violation.
/// </summary>
public sealed class PanelEndToEndTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("synocert-e2e-").FullName;
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        var options = new ServeOptions { DataDirectory = Path.Combine(_directory, "data"), HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback };
        _app = (await PanelHost.BuildAsync(options)).Value;
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task FirstRun_SetupThenCertificatesPage_InteractiveWithoutScriptOrPolicyErrors()
    {
        var address = _app!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var token = _app.Services.GetRequiredService<SetupToken>().Display;
        Assert.NotNull(token);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add(error);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                problems.Add($"{response.Status} {response.Url}");
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };

        await page.GotoAsync(address + "/");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.GotoAsync(address + "/setup");
        await page.FillAsync("#SetupToken", token);
        await page.FillAsync("#Password", "correct horse battery staple");
        await page.FillAsync("#ConfirmPassword", "correct horse battery staple");
        await page.ClickAsync("button[type=submit]");
        await page.Locator("#panel-interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        var rows = page.Locator("[data-testid=certificate-table] tbody tr.mud-table-row");
        await rows.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        Assert.Contains("localhost", await page.Locator("[data-testid=certificate-table]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("admin", await page.Locator("[data-testid=signed-in-user]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
