using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SynoCertPanel.Core.Tests;
using SynoCertPanel.Web.Auth;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Support;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The real host in Chromium: create a CA, sign a request openssl made (as another box would), download the full
/// chain, and let openssl verify it against the CA certificate downloaded from the same panel.
/// </summary>
public sealed class SignRequestEndToEndTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private readonly string _directory = Directory.CreateTempSubdirectory("synocert-e2e-sign-").FullName;
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
    public async Task SignRequest_OpenSslRequestInChromium_FullChainVerifiesWithTheDownloadedRoot()
    {
        var address = _app!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var csrPath = Path.Combine(_directory, "nas2.csr");
        File.WriteAllText(csrPath, OpenSslRequests.Create(Path.Combine(_directory, "box"), "/CN=nas2.home.arpa",
            "subjectAltName=DNS:nas2.home.arpa,IP:192.168.1.12"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true, AcceptDownloads = true });
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };
        await SetUpAsync(page, address);

        await GoToAsync(page, address + "/authorities/create");
        await page.FillAsync("input[data-testid=ca-cn]", "E2E Root");
        await page.Locator("label.mud-radio", new PageLocatorOptions { HasText = "ECDSA P-256" }).ClickAsync();
        await page.ClickAsync("[data-testid=ca-create]");
        await page.Locator("[data-testid=ca-created]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var root = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=ca-download]"));
        var rootPath = Path.Combine(_directory, "root.pem");
        await root.SaveAsAsync(rootPath);
        Assert.Equal("E2E_Root.crt", root.SuggestedFilename);

        await GoToAsync(page, address + "/");
        await page.ClickAsync("[data-testid=add-menu] button");
        await page.ClickAsync("[data-testid=add-sign-request]");
        await page.Locator("[data-testid=csr-file]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.SetInputFilesAsync("[data-testid=csr-file]", csrPath);
        await page.Locator("[data-testid=csr-summary]").WaitForAsync();
        await page.ClickAsync("[data-testid=wizard-next]:not([disabled])");
        await page.Locator("label.mud-radio", new PageLocatorOptions { HasText = "E2E Root" }).ClickAsync();
        await page.ClickAsync("[data-testid=wizard-next]:not([disabled])");
        await page.ClickAsync("[data-testid=sign]:not([disabled])");
        await page.Locator("[data-testid=signed-result]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var chain = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=download-fullchain]"));
        var chainPath = Path.Combine(_directory, "fullchain.pem");
        await chain.SaveAsAsync(chainPath);

        Assert.Equal("nas2.home.arpa-fullchain.pem", chain.SuggestedFilename);
        Assert.DoesNotContain("PRIVATE KEY", await File.ReadAllTextAsync(chainPath), StringComparison.Ordinal);
        var verify = OpenSslHierarchy.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "nas2.home.arpa",
            "-CAfile", rootPath, chainPath);
        Assert.True(verify.ExitCode == 0, verify.Output);
        var text = OpenSslHierarchy.Run("openssl", "x509", "-in", chainPath, "-noout", "-ext", "subjectAltName");
        Assert.Contains("IP Address:192.168.1.12", text.Output, StringComparison.Ordinal);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private async Task SetUpAsync(IPage page, string address)
    {
        var token = _app!.Services.GetRequiredService<SetupToken>().Display;
        Assert.NotNull(token);
        await page.GotoAsync(address + "/setup");
        await page.FillAsync("#SetupToken", token);
        await page.FillAsync("#Password", Password);
        await page.FillAsync("#ConfirmPassword", Password);
        await page.ClickAsync("button[type=submit]");
        await page.Locator("#panel-interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });
    }

    private static async Task GoToAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.Locator("#panel-interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });
    }
}
