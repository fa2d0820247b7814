using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The wizards through the real host (HTTPS listener, login, listener apply) in headless Chromium, driven by their
/// data-testid attributes; what they make is checked by OpenSSL, not by the panel's own code.
/// </summary>
public sealed class WizardEndToEndTests : IAsyncLifetime
{
    private static readonly LocatorWaitForOptions Slow = new() { Timeout = 60_000 };

    private BrowserPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await BrowserPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task Wizards_SelfSignedAndCsrInChromium_OpenSslVerifiesWhatTheyMake()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true, AcceptDownloads = true });
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add(error);
        await _panel.CreateAdminAsync(page);

        await _panel.OpenAsync(page, "/certificates/add/self-signed");
        await page.FillAsync("[data-testid=root-cn]", "Home Lab Root CA");
        await page.Locator("[data-testid=root-key-p256]").DispatchEventAsync("click");
        await page.ClickAsync("[data-testid=wizard-next]");
        await AddNamesAsync(page, "server-san", "nas1.home.arpa", "127.0.0.1");
        await page.ClickAsync("[data-testid=wizard-next]");
        await page.Locator("[data-testid=review-certificate]").WaitForAsync(Slow);
        Assert.Contains("IP:127.0.0.1", await page.Locator("[data-testid=review-names]").InnerTextAsync(), StringComparison.Ordinal);
        await page.ClickAsync("[data-testid=wizard-create]");
        await page.Locator("[data-testid=result-created]").WaitForAsync(Slow);
        await page.Locator("[data-testid=apply-applied]").WaitForAsync();

        var root = await DownloadAsync(page, "result-download-root");
        await page.ClickAsync("[data-testid=result-export]");
        await page.ClickAsync("input[data-testid=format-fullchain]");
        var chain = await DownloadAsync(page, "export-save");
        Assert.EndsWith(".crt", root, StringComparison.Ordinal);
        foreach (var check in new[] { new[] { "-verify_hostname", "nas1.home.arpa" }, ["-verify_ip", "127.0.0.1"] })
        {
            var verify = await ExternalProcess.RunAsync("openssl",
                ["verify", "-x509_strict", "-auth_level", "2", "-purpose", "sslserver", .. check, "-CAfile", root, chain]);
            Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        }

        await _panel.OpenAsync(page, "/certificates/add/csr");
        await AddNamesAsync(page, "csr-san", "nas2.home.arpa", "192.168.1.11");
        await page.FillAsync("[data-testid=csr-cn]", "nas2.home.arpa");
        await page.ClickAsync("[data-testid=wizard-next]");
        await page.Locator("[data-testid=review-steps]").WaitForAsync();
        await page.ClickAsync("[data-testid=wizard-create]");
        await page.Locator("[data-testid=csr-created]").WaitForAsync(Slow);

        var csr = await DownloadAsync(page, "csr-download");
        var checkedRequest = await ExternalProcess.RunAsync("openssl", ["req", "-verify", "-noout", "-text", "-in", csr]);
        Assert.True(checkedRequest.ExitCode == 0, checkedRequest.Output + checkedRequest.Error);
        Assert.Contains("verify OK", checkedRequest.Output + checkedRequest.Error, StringComparison.Ordinal);
        Assert.Contains("DNS:nas2.home.arpa, IP Address:192.168.1.11", checkedRequest.Output, StringComparison.Ordinal);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task SelfSignedWizard_NameTheBrowserUsesNotCovered_ApplyRefusedUntilConfirmed()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        await _panel.CreateAdminAsync(page);
        var served = _panel.Services.GetRequiredService<CertificateHolder>().Current.CertificateId;

        await _panel.OpenAsync(page, "/certificates/add/self-signed");
        await page.FillAsync("[data-testid=root-cn]", "Home Lab Root CA");
        await page.Locator("[data-testid=root-key-p256]").DispatchEventAsync("click");
        await page.ClickAsync("[data-testid=wizard-next]");
        await AddNamesAsync(page, "server-san", "nas1.home.arpa");
        await page.Locator("[data-testid=server-key-p256]").DispatchEventAsync("click");
        await page.ClickAsync("[data-testid=wizard-next]");
        await page.Locator("[data-testid=review-certificate]").WaitForAsync(Slow);
        Assert.Contains("127.0.0.1", await page.Locator("[data-testid=review-host-not-covered]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("e_sub_cert_host_not_covered", await page.Locator("[data-testid=lint]").InnerTextAsync(), StringComparison.Ordinal);
        await page.ClickAsync("[data-testid=wizard-create]");
        await page.Locator("[data-testid=apply-refused]").WaitForAsync(Slow);

        Assert.Contains("127.0.0.1", await page.Locator("[data-testid=apply-error]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(served, _panel.Services.GetRequiredService<CertificateHolder>().Current.CertificateId);

        await page.ClickAsync("[data-testid=apply-anyway]");
        await page.Locator("[data-testid=apply-applied]").WaitForAsync(Slow);
        Assert.NotEqual(served, _panel.Services.GetRequiredService<CertificateHolder>().Current.CertificateId);
    }

    [Fact]
    public async Task SelfSignedWizard_AddTheAddressInUseFromTheReview_AppliedWithoutAsking()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        await _panel.CreateAdminAsync(page);

        await _panel.OpenAsync(page, "/certificates/add/self-signed");
        await page.FillAsync("[data-testid=root-cn]", "Home Lab Root CA");
        await page.Locator("[data-testid=root-key-p256]").DispatchEventAsync("click");
        await page.ClickAsync("[data-testid=wizard-next]");
        await AddNamesAsync(page, "server-san", "nas1.home.arpa");
        await page.Locator("[data-testid=server-key-p256]").DispatchEventAsync("click");
        await page.ClickAsync("[data-testid=wizard-next]");
        await page.ClickAsync("[data-testid=review-add-host]");
        await page.Locator("[data-testid=review-names]", new PageLocatorOptions { HasText = "IP:127.0.0.1" }).WaitForAsync(Slow);
        Assert.Equal(0, await page.Locator("[data-testid=review-host-not-covered]").CountAsync());
        await page.ClickAsync("[data-testid=wizard-create]");
        await page.Locator("[data-testid=apply-applied]").WaitForAsync(Slow);

        var served = _panel.Services.GetRequiredService<CertificateHolder>().Current.Leaf;
        Assert.True(served.Covers("127.0.0.1"));
        Assert.True(served.Covers("nas1.home.arpa"));
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

    private async Task<string> DownloadAsync(IPage page, string testId)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync($"[data-testid={testId}]"));
        var path = _panel.FilePath(download.SuggestedFilename);
        await download.SaveAsAsync(path);
        return path;
    }
}
