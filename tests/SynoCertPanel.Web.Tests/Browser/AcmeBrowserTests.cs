using System.Globalization;
using Microsoft.Playwright;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Web.Tests.Acme;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The ACME page in Chromium against a real panel: the directory is turned on and an EAB key made on the page, then Debian's
/// lego orders with what the page showed; the page lists the account, the order and its certificate, and the certificates
/// list shows the certificate's account. Axe clean, nothing wider than the screen, no word broken, at 1280 px and 390 px;
/// pictures kept in SYNOCERT_REVIEW_SCREENSHOTS_DIR when set.
/// </summary>
public sealed class AcmeBrowserTests : IDisposable
{
    private const string DirectoryVariable = "SYNOCERT_REVIEW_SCREENSHOTS_DIR";
    private static readonly LocatorWaitForOptions Shown = new() { Timeout = 15_000 };
    private readonly string? _temporary = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } ? null
        : Directory.CreateTempSubdirectory("synocert-review-").FullName;

    private string Folder => _temporary ?? Directory.CreateDirectory(Environment.GetEnvironmentVariable(DirectoryVariable)!).FullName;

    public void Dispose()
    {
        if (_temporary is not null)
        {
            Directory.Delete(_temporary, recursive: true);
        }
    }

    [Fact]
    public async Task TurnOnAndMakeAKeyOnThePage_LegoOrders_ThePageShowsAccountOrderAndCertificate()
    {
        await using var lab = await AcmeLab.StartAsync(enable: false);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        var problems = await BrowserPanel.WatchForErrorsAsync(page);
        await lab.Panel.CreateAdminAsync(page);
        var id = lab.AuthorityId.ToString(CultureInfo.InvariantCulture);

        await lab.Panel.OpenAsync(page, $"/acme?ca={id}");
        await page.Locator("[data-testid=acme-no-directory]").WaitForAsync(Shown);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "ACME page, no directory");
        await page.Locator("[data-testid=acme-enable]").ClickAsync();
        await page.Locator("[data-testid=acme-policy-dialog]").WaitForAsync(Shown);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "ACME policy dialog");
        var httpPort = AcmeLab.FreePort();
        await page.FillAsync("input[data-testid=acme-lifetime]", "30");
        await page.FillAsync("input[data-testid=acme-http-port]", httpPort.ToString(CultureInfo.InvariantCulture));
        await page.Locator("[data-testid=acme-policy-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=acme-state]")).ToHaveTextAsync("On");
        var directoryUrl = await page.Locator("input[data-testid=acme-directory-url]").InputValueAsync();
        Assert.Equal(lab.DirectoryUrl, directoryUrl);

        await page.Locator("[data-testid=acme-eab-add]").ClickAsync();
        await page.FillAsync("input[data-testid=acme-eab-label]", "lego on nas");
        await page.Locator("[data-testid=acme-eab-create]").ClickAsync();
        await page.Locator("[data-testid=acme-eab-warning]").WaitForAsync(Shown);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "ACME EAB key shown once");
        await SaveAsync(page, "acme-eab-once-1280.png");
        var keyId = await page.Locator("input[data-testid=acme-eab-kid]").InputValueAsync();
        var hmac = await page.Locator("input[data-testid=acme-eab-hmac]").InputValueAsync();
        await page.Locator("[data-testid=acme-eab-done]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=acme-eab-row-kid]")).ToHaveTextAsync(keyId);
        Assert.DoesNotContain(hmac, await page.ContentAsync(), StringComparison.Ordinal);

        await lab.ResolveAsync("nas.home.arpa=127.0.0.1");
        var path = lab.Panel.FilePath("lego");
        var run = await ExternalProcess.RunAsync("lego", ["--server", directoryUrl, "--accept-tos", "--email", "admin@lab.home.arpa", "--key-type", "ec256",
                "--path", path, "--eab", "--kid", keyId, "--hmac", hmac, "--domains", "nas.home.arpa", "--http", "--http.port", $"127.0.0.1:{httpPort}", "run"],
            new Dictionary<string, string> { ["LEGO_CA_CERTIFICATES"] = lab.PanelTrustFile }, timeout: TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var order = Assert.Single((await lab.Directories.OrdersAsync(lab.AuthorityId)).Value);
        var certificateId = Assert.IsType<int>(order.CertificateId);

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await lab.Panel.OpenAsync(page, $"/acme?ca={id}");
            await Assertions.Expect(page.Locator("[data-testid=acme-account-row-contact]")).ToHaveTextAsync("admin@lab.home.arpa");
            await Assertions.Expect(page.Locator("[data-testid=acme-eab-row-account]")).ToHaveTextAsync($"Account {order.AccountId}");
            await Assertions.Expect(page.Locator("[data-testid=acme-order-row-state]")).ToHaveTextAsync(AcmeStatus.Valid);
            Assert.Equal($"/?certificate={certificateId}", await page.Locator("[data-testid=acme-order-row-certificate]").GetAttributeAsync("href"));
            await page.Locator("[data-testid=acme-client-lego]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=acme-client-lego-text]")).ToContainTextAsync($"--server {directoryUrl}");
            await AssertFitsAsync(page);
            await AxeCheck.AssertNoSeriousViolationsAsync(page, $"ACME page ({width} px)");
            await SaveAsync(page, $"acme-{width}.png");
            foreach (var table in new[] { "acme-eab-table", "acme-account-table", "acme-order-table" })
            {
                Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, $"[data-testid={table}] tbody"));
            }
        }

        await page.Locator("[data-testid=acme-order-row-certificate]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=details-acme]")).ToContainTextAsync("Account admin@lab.home.arpa");
        await page.SetViewportSizeAsync(1280, 800);
        await lab.Panel.OpenAsync(page, $"/?certificate={certificateId}");
        await Assertions.Expect(page.Locator("[data-testid=acme-marker]")).ToHaveTextAsync("ACME: admin@lab.home.arpa");
        await Assertions.Expect(page.Locator("[data-testid=details-acme-link]")).ToHaveTextAsync("Lab Root CA");
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "Certificates page with an ACME certificate");
        await SaveAsync(page, "acme-certificate-1280.png");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=certificate-table] tbody"));
        Assert.Empty(problems);
    }

    private static async Task AssertFitsAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");

    private async Task SaveAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(Folder, name),
            Type = ScreenshotType.Png,
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
            FullPage = true,
        });
        Assert.True(new FileInfo(Path.Combine(Folder, name)).Length > 0);
    }
}
