using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The panel's pages in a real headless Chromium (Debian's; browsers are never downloaded), served on
/// loopback by a host with the panel's own AddWebPanel/MapWebPanel and a stand-in login.
/// </summary>
public sealed class PanelBrowserSmokeTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("synocert-browser-").FullName;
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        var data = Path.Combine(_directory, "data");
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(data))).Value;
        var seeded = await new SelfSignedService(storage, TimeProvider.System).CreateAsync(new SelfSignedRequest
        {
            Root = new RootCaOptions { Subject = DistinguishedName.Create("Smoke Root CA").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
            Server = new LeafOptions
            {
                Subject = DistinguishedName.Create("nas1.home.arpa").Value,
                SubjectAlternativeNames = SanParser.ParseAll(["nas1.home.arpa", "127.0.0.1"]).Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            },
            Description = "Smoke <b>certificate</b>",
        }, "setup");
        Assert.True(seeded.IsSuccess, seeded.Error);

        // Development serves the Blazor framework files from the build output (an unpublished build
        // outside Development serves them empty); the application name finds the panel's asset manifest.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ApplicationName = typeof(WebPanel).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(storage);
        builder.Services.AddAuthentication(SignedInTestHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SignedInTestHandler>(SignedInTestHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddWebPanel();
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapWebPanel();
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
    public async Task CertificatesPage_InChromium_BecomesInteractiveAndListsTheCertificate()
    {
        var address = _app!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(address + "/");
        await page.Locator("#panel-interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        var row = page.Locator("[data-testid=certificate-table] tbody tr.mud-table-row", new PageLocatorOptions { HasText = "Smoke <b>certificate</b>" });
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        Assert.Contains("nas1.home.arpa", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-testid=certificate-table] b").CountAsync());
        await row.ClickAsync();
        await page.Locator("[data-testid=sha256]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.Contains(SignedInTestHandler.UserName, await page.Locator("[data-testid=signed-in-user]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(errors);
        var stylesheet = await page.APIRequest.GetAsync(address + "/app.css");
        Assert.True(stylesheet.Ok, $"/app.css answered {stylesheet.Status}");
        Assert.Contains("panel-logo", await stylesheet.TextAsync(), StringComparison.Ordinal);
    }
}
