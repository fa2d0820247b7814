using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// Export and import through the real host in Chromium: the files the browser saves are checked with openssl, and
/// a key and certificate made by openssl are imported through the wizard and appear in the list.
/// </summary>
public sealed class TransferEndToEndTests : IAsyncLifetime
{
    private const string PfxPassword = "pfx from the browser";

    private BrowserPanel _panel = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private List<string> _problems = [];

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

    private string FilePath(string name) => _panel.FilePath(name);

    /// <summary>First-run setup with the token from the host, which signs the admin in and opens the certificates page.</summary>
    private async Task<IPage> SignInAsync()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true, AcceptDownloads = true });
        _problems = await BrowserPanel.WatchForErrorsAsync(page);
        await _panel.CreateAdminAsync(page);
        return page;
    }

    private static string Openssl(params string[] arguments)
    {
        var (exitCode, output) = OpenSslHierarchy.Run("openssl", arguments);
        Assert.True(exitCode == 0, $"openssl {string.Join(' ', arguments)}: {output}");
        return output;
    }

    private static async Task<string> DownloadAsync(IPage page, string savePath)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export-save]"), new PageRunAndWaitForDownloadOptions { Timeout = 20_000 });
        await download.SaveAsAsync(savePath);
        return download.SuggestedFilename;
    }

    [Fact]
    public async Task Export_FullChainAndPkcs12_FilesOpenWithOpenssl()
    {
        var storage = _panel.Services.GetRequiredService<PanelStorage>();
        var created = await new SelfSignedService(storage, TimeProvider.System).CreateAsync(new SelfSignedRequest
        {
            Root = new RootCaOptions { Subject = DistinguishedName.Create("Transfer Root").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
            Server = new LeafOptions
            {
                Subject = DistinguishedName.Create("nas1.home.arpa").Value,
                SubjectAlternativeNames = SanParser.ParseAll(["nas1.home.arpa"]).Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            },
            Description = "NAS one",
        }, "test");
        Assert.True(created.IsSuccess, created.Error);
        var page = await SignInAsync();
        var row = page.Locator("[data-testid=certificate-table] tbody tr.mud-table-row", new PageLocatorOptions { HasText = "NAS one" });
        await row.ClickAsync();
        await page.ClickAsync("[data-testid=export]:not([disabled])");
        await page.Locator("[data-testid=export-save]").WaitForAsync();

        await page.ClickAsync("input[data-testid=format-fullchain]");
        var chainName = await DownloadAsync(page, FilePath("fullchain.pem"));

        Assert.Equal("NAS_one-fullchain.pem", chainName);
        Assert.Contains("CN = nas1.home.arpa", Openssl("x509", "-in", FilePath("fullchain.pem"), "-noout", "-subject"), StringComparison.Ordinal);
        Assert.Contains("Total found: 2", Openssl("storeutl", "-noout", "-certs", FilePath("fullchain.pem")), StringComparison.Ordinal);

        await page.ClickAsync("input[data-testid=format-pfx]");
        await page.FillAsync("[data-testid=file-password] input, input[data-testid=file-password]", PfxPassword);
        await page.FillAsync("[data-testid=file-password-again] input, input[data-testid=file-password-again]", PfxPassword);
        await page.FillAsync("[data-testid=account-password] input, input[data-testid=account-password]", BrowserPanel.AdminPassword);
        var pfxName = await DownloadAsync(page, FilePath("nas1.pfx"));

        Assert.Equal("NAS_one.pfx", pfxName);
        var certificates = Openssl("pkcs12", "-in", FilePath("nas1.pfx"), "-passin", "pass:" + PfxPassword, "-nokeys");
        Assert.Contains("subject=CN = nas1.home.arpa", certificates, StringComparison.Ordinal);
        Assert.Contains("subject=CN = Transfer Root", certificates, StringComparison.Ordinal);
        Assert.Contains("PRIVATE KEY", Openssl("pkcs12", "-in", FilePath("nas1.pfx"), "-passin", "pass:" + PfxPassword, "-nocerts", "-nodes"), StringComparison.Ordinal);
        await using (var db = storage.CreateContext())
        {
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "certificate.export-key" && a.Actor == BrowserPanel.AdminName));
        }

        Assert.True(_problems.Count == 0, string.Join(Environment.NewLine, _problems));
    }

    [Fact]
    public async Task Import_KeyAndCertificateMadeByOpenssl_AppearsInTheList()
    {
        Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", FilePath("imported.key"), "-out", FilePath("imported.pem"),
            "-days", "90", "-subj", "/CN=imported.home.arpa", "-addext", "subjectAltName=DNS:imported.home.arpa",
            "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=serverAuth");
        var page = await SignInAsync();

        await page.ClickAsync("[data-testid=import]");
        await page.Locator("[data-testid=key-file-input]").SetInputFilesAsync(FilePath("imported.key"));
        await page.Locator("[data-testid=certificate-file-input]").SetInputFilesAsync(FilePath("imported.pem"));
        // Each upload is read over the circuit on its own; Next may only be pressed once both are read.
        await page.Locator("[data-testid=key-file-name]").WaitForAsync();
        await page.Locator("[data-testid=certificate-file-name]").WaitForAsync();
        await page.FillAsync("[data-testid=description] input, input[data-testid=description]", "Imported from openssl");
        await page.ClickAsync("[data-testid=import-next]:not([disabled])");
        await page.Locator("[data-testid=review-subject]", new PageLocatorOptions { HasText = "CN=imported.home.arpa" }).WaitForAsync();
        await page.ClickAsync("[data-testid=import-confirm]");
        await page.Locator("[data-testid=import-done]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.ClickAsync("[data-testid=import-back-to-list]");

        var row = page.Locator("[data-testid=certificate-table] tbody tr.mud-table-row", new PageLocatorOptions { HasText = "Imported from openssl" });
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.Contains("imported.home.arpa", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(_problems.Count == 0, string.Join(Environment.NewLine, _problems));
    }
}
