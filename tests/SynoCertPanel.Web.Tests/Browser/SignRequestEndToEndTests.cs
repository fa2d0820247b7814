using Microsoft.Playwright;
using SynoCertPanel.Core.Tests;
using SynoCertPanel.Web.Tests.Support;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The real host in Chromium: create a CA, sign a request openssl made (as another box would), download the full
/// chain, and let openssl verify it against the CA certificate downloaded from the same panel.
/// </summary>
public sealed class SignRequestEndToEndTests : IAsyncLifetime
{
    private BrowserPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await BrowserPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task SignRequest_OpenSslRequestInChromium_FullChainVerifiesWithTheDownloadedRoot()
    {
        var csrPath = _panel.FilePath("nas2.csr");
        File.WriteAllText(csrPath, OpenSslRequests.Create(_panel.FilePath("box"), "/CN=nas2.home.arpa",
            "subjectAltName=DNS:nas2.home.arpa,IP:192.168.1.12"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true, AcceptDownloads = true });
        var problems = await BrowserPanel.WatchForErrorsAsync(page);
        await _panel.CreateAdminAsync(page);

        await _panel.OpenAsync(page, "/authorities/create");
        await page.FillAsync("input[data-testid=ca-cn]", "E2E Root");
        await page.Locator("label.mud-radio", new PageLocatorOptions { HasText = "ECDSA P-256" }).ClickAsync();
        await page.ClickAsync("[data-testid=ca-create]");
        await page.Locator("[data-testid=ca-created]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var root = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=ca-download]"));
        var rootPath = _panel.FilePath("root.pem");
        await root.SaveAsAsync(rootPath);
        Assert.Equal("E2E_Root.crt", root.SuggestedFilename);

        await _panel.OpenAsync(page, "/");
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
        var chainPath = _panel.FilePath("fullchain.pem");
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
}
