using Microsoft.Playwright;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The panel's pages in a real headless Chromium (Debian's; browsers are never downloaded), served on loopback by
/// the whole host over a data directory that already holds a certificate whose description looks like markup.
/// </summary>
public sealed class PanelBrowserSmokeTests : IAsyncLifetime
{
    private BrowserPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await BrowserPanel.StartAsync(SeedAsync);

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private static async Task SeedAsync(PanelStorage storage)
    {
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
    }

    [Fact]
    public async Task CertificatesPage_InChromium_BecomesInteractiveAndListsTheCertificate()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await _panel.CreateAdminAsync(page);
        var row = page.Locator("[data-testid=certificate-table] tbody tr.mud-table-row", new PageLocatorOptions { HasText = "Smoke <b>certificate</b>" });
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        Assert.Contains("nas1.home.arpa", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-testid=certificate-table] b").CountAsync());
        await row.ClickAsync();
        await page.Locator("[data-testid=sha256]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.Contains(BrowserPanel.AdminName, await page.Locator("[data-testid=signed-in-user]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(errors);
        var stylesheet = await page.APIRequest.GetAsync(_panel.Address + "/app.css");
        Assert.True(stylesheet.Ok, $"/app.css answered {stylesheet.Status}");
        Assert.Contains("panel-logo", await stylesheet.TextAsync(), StringComparison.Ordinal);
    }
}
