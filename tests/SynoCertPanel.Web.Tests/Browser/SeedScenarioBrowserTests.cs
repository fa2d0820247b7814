using Microsoft.Playwright;
using SynoCertPanel.Core.Tests;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The seed scenario of the design, through the pages only: two panels (two data directories, two ports). Panel 1
/// creates a root and its own certificate for nas1.home.arpa and 127.0.0.1 and serves it; panel 2 makes a CSR for
/// nas2.home.arpa; panel 1 signs it; panel 2 imports the result (its pending key is found) and serves it. Then a
/// Chromium whose NSS database trusts the downloaded root opens both panels by name and panel 1 by IP with no
/// certificate error, and a Chromium without the root is refused.
/// </summary>
public sealed class SeedScenarioBrowserTests : IAsyncLifetime
{
    private const string RootName = "Home Lab Root CA";
    private const string Nas1 = "nas1.home.arpa";
    private const string Nas2 = "nas2.home.arpa";
    private static readonly LocatorWaitForOptions Slow = new() { Timeout = 60_000 };

    private readonly string _directory = Directory.CreateTempSubdirectory("synocert-seed-ui-").FullName;
    private readonly List<string> _problems = [];
    private BrowserPanel? _panel1;
    private BrowserPanel? _panel2;

    public async Task InitializeAsync()
    {
        _panel1 = await BrowserPanel.StartAsync(boxName: "nas1");
        _panel2 = await BrowserPanel.StartAsync(boxName: "nas2");
    }

    public async Task DisposeAsync()
    {
        foreach (var panel in new[] { _panel1, _panel2 })
        {
            if (panel is not null)
            {
                await panel.DisposeAsync();
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task SeedScenario_TwoPanelsThroughThePages_TrustingChromiumOpensBothByNameAndPanelOneByIp()
    {
        var panel1 = _panel1!;
        var panel2 = _panel2!;
        using var playwright = await Playwright.CreateAsync();
        // The operator's browser: it reaches panel 2 by its name and accepts the first-run certificates.
        await using var operatorChromium = await TrustingChromium.ControlAsync(playwright, [Nas1, Nas2]);
        var operator1 = await OperatorPageAsync(operatorChromium.Browser);
        var operator2 = await OperatorPageAsync(operatorChromium.Browser);
        var address1 = $"https://127.0.0.1:{panel1.Port}";
        var address2 = $"https://{Nas2}:{panel2.Port}";

        // Panel 1: root CA + its own server certificate, served at once.
        await SetUpAsync(operator1, address1, panel1);
        await OpenAsync(operator1, address1 + "/");
        await operator1.ClickAsync("[data-testid=add-menu] button");
        await operator1.ClickAsync("[data-testid=add-self-signed]");
        await operator1.Locator("[data-testid=root-cn]").WaitForAsync(Slow);
        await operator1.FillAsync("[data-testid=root-cn]", RootName);
        await operator1.Locator("[data-testid=root-key-p256]").DispatchEventAsync("click");
        await operator1.ClickAsync("[data-testid=wizard-next]");
        await AddNamesAsync(operator1, "server-san", Nas1, "127.0.0.1");
        await operator1.FillAsync("[data-testid=server-description] input, input[data-testid=server-description]", "NAS one");
        await operator1.ClickAsync("[data-testid=wizard-next]");
        await operator1.Locator("[data-testid=review-certificate]").WaitForAsync(Slow);
        await operator1.ClickAsync("[data-testid=wizard-create]");
        await operator1.Locator("[data-testid=result-created]").WaitForAsync(Slow);
        await operator1.Locator("[data-testid=apply-applied]").WaitForAsync(Slow);
        var root = await DownloadAsync(operator1, "[data-testid=result-download-root]", "root.crt");

        // Panel 2: a CSR for its name; the key stays on panel 2.
        await SetUpAsync(operator2, address2, panel2);
        await OpenAsync(operator2, address2 + "/");
        await operator2.ClickAsync("[data-testid=add-menu] button");
        await operator2.ClickAsync("[data-testid=add-csr]");
        await operator2.Locator("[data-testid=csr-cn]").WaitForAsync(Slow);
        await operator2.FillAsync("[data-testid=csr-cn]", Nas2);
        await AddNamesAsync(operator2, "csr-san", Nas2);
        await operator2.ClickAsync("[data-testid=wizard-next]");
        await operator2.Locator("[data-testid=review-steps]").WaitForAsync(Slow);
        await operator2.ClickAsync("[data-testid=wizard-create]");
        await operator2.Locator("[data-testid=csr-created]").WaitForAsync(Slow);
        var csr = await DownloadAsync(operator2, "[data-testid=csr-download]", "nas2.csr");
        Assert.DoesNotContain("PRIVATE KEY", await File.ReadAllTextAsync(csr), StringComparison.Ordinal);

        // Panel 1 signs it with the root made above.
        await OpenAsync(operator1, address1 + "/");
        await operator1.ClickAsync("[data-testid=add-menu] button");
        await operator1.ClickAsync("[data-testid=add-sign-request]");
        await operator1.Locator("[data-testid=csr-file]").WaitForAsync(Slow);
        await operator1.SetInputFilesAsync("[data-testid=csr-file]", csr);
        await operator1.Locator("[data-testid=csr-summary]").WaitForAsync();
        await operator1.ClickAsync("[data-testid=wizard-next]:not([disabled])");
        await operator1.Locator("label.mud-radio", new PageLocatorOptions { HasText = RootName }).ClickAsync();
        await operator1.ClickAsync("[data-testid=wizard-next]:not([disabled])");
        await operator1.ClickAsync("[data-testid=sign]:not([disabled])");
        await operator1.Locator("[data-testid=signed-result]").WaitForAsync(Slow);
        var chain = await DownloadAsync(operator1, "[data-testid=download-fullchain]", "nas2-fullchain.pem");

        // Panel 2 imports the signed certificate without any key file, then serves it.
        await OpenAsync(operator2, address2 + "/certificates/import");
        await operator2.Locator("[data-testid=certificate-file-input]").SetInputFilesAsync(chain);
        await operator2.Locator("[data-testid=certificate-file-name]").WaitForAsync(Slow);
        await operator2.FillAsync("[data-testid=description] input, input[data-testid=description]", "NAS two");
        await operator2.ClickAsync("[data-testid=import-next]:not([disabled])");
        await operator2.Locator("[data-testid=review-subject]", new PageLocatorOptions { HasText = Nas2 }).WaitForAsync(Slow);
        await operator2.ClickAsync("[data-testid=import-confirm]");
        await operator2.Locator("[data-testid=import-done]").WaitForAsync(Slow);
        await operator2.ClickAsync("[data-testid=import-back-to-list]");
        var row = operator2.Locator("[data-testid=certificate-table] tbody tr.mud-table-row", new PageLocatorOptions { HasText = "NAS two" });
        await row.ClickAsync();
        await operator2.Locator("[data-testid=set-default]:not([disabled])").ClickAsync();
        await operator2.Locator("[data-testid=apply-host-covered]").WaitForAsync(Slow);
        await operator2.ClickAsync("[data-testid=apply-submit]");
        var applied = operator2.Locator("[data-testid=apply-result]");
        await applied.WaitForAsync(Slow);
        Assert.Contains("Still connected, new certificate served", await applied.InnerTextAsync(), StringComparison.Ordinal);

        // An independent verifier agrees with what the pages made.
        var verify = OpenSslHierarchy.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", Nas2, "-CAfile", root, chain);
        Assert.True(verify.ExitCode == 0, verify.Output);

        // A device that trusts the root opens both boxes by name and box 1 by IP; one without it is refused.
        await using var trusting = await TrustingChromium.TrustingAsync(playwright, await File.ReadAllTextAsync(root), RootName, [Nas1, Nas2]);
        await using var control = await TrustingChromium.ControlAsync(playwright, [Nas1, Nas2]);
        var addresses = new[]
        {
            (Url: $"https://{Nas1}:{panel1.Port}/login", Subject: Nas1),
            (Url: $"https://127.0.0.1:{panel1.Port}/login", Subject: Nas1),
            (Url: $"https://{Nas2}:{panel2.Port}/login", Subject: Nas2),
        };
        foreach (var (url, subject) in addresses)
        {
            var (response, error) = await trusting.OpenAsync(url);
            Assert.True(error is null, $"{url}: {error}");
            Assert.True(response!.Ok, $"{url} answered {response.Status}");
            var security = await response.SecurityDetailsAsync();
            Assert.Equal(RootName, security?.Issuer);
            Assert.Equal(subject, security?.SubjectName);

            var (refused, refusal) = await control.OpenAsync(url);
            Assert.Null(refused);
            Assert.Contains("net::ERR_CERT_AUTHORITY_INVALID", refusal, StringComparison.Ordinal);
        }

        Assert.True(_problems.Count == 0, string.Join(Environment.NewLine, _problems));
    }

    private async Task<IPage> OperatorPageAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => _problems.Add(error);
        return page;
    }

    /// <summary>First-run setup on the address the operator uses (by name for panel 2).</summary>
    private static async Task SetUpAsync(IPage page, string address, BrowserPanel panel)
    {
        var token = panel.SetupToken;
        Assert.NotNull(token);
        await page.GotoAsync(address + "/setup");
        await page.FillAsync("#SetupToken", token);
        await page.FillAsync("#UserName", BrowserPanel.AdminName);
        await page.FillAsync("#Password", BrowserPanel.AdminPassword);
        await page.FillAsync("#ConfirmPassword", BrowserPanel.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await BrowserPanel.WaitUntilInteractiveAsync(page);
    }

    /// <summary>A full page load, then waits until the circuit runs: before that, clicks would go nowhere.</summary>
    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await BrowserPanel.WaitUntilInteractiveAsync(page);
    }

    private static async Task AddNamesAsync(IPage page, string prefix, params string[] names)
    {
        foreach (var name in names)
        {
            await page.FillAsync($"[data-testid={prefix}-input]", name);
            await page.PressAsync($"[data-testid={prefix}-input]", "Enter");
        }

        await Assertions.Expect(page.Locator($"[data-testid={prefix}-chip]")).ToHaveCountAsync(names.Length);
    }

    private async Task<string> DownloadAsync(IPage page, string selector, string fileName)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(selector), new PageRunAndWaitForDownloadOptions { Timeout = 30_000 });
        var path = Path.Combine(_directory, fileName);
        await download.SaveAsAsync(path);
        return path;
    }
}
