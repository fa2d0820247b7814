using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Listener;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// Applying a certificate to the panel from the certificates page in Chromium: the dialog applies it, the page
/// confirms from the browser that it still reaches the panel, the circuit stays connected, and OpenSSL sees the
/// new certificate on the listener.
/// </summary>
public sealed class ApplyCertificateBrowserTests : IAsyncLifetime
{
    private const string Description = "Applied from the browser";
    private BrowserPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await BrowserPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task ApplyDialog_InChromium_StillConnectedAndOpenSslSeesTheNewCertificate()
    {
        var port = _panel.Port;
        var created = await CreateCertificateAsync();
        var before = _panel.Services.GetRequiredService<CertificateHolder>().Current.Thumbprint;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        var problems = await BrowserPanel.WatchForErrorsAsync(page);
        await _panel.CreateAdminAsync(page);
        var row = page.Locator("[data-testid=certificate-table] tbody tr.mud-table-row", new PageLocatorOptions { HasText = Description });
        await row.ClickAsync();
        await page.Locator("[data-testid=set-default]:not([disabled])").ClickAsync();

        await page.Locator("[data-testid=apply-host-covered]").WaitForAsync();
        await page.Locator("[data-testid=apply-submit]").ClickAsync();
        var result = page.Locator("[data-testid=apply-result]");
        await result.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });

        Assert.Contains("Still connected, new certificate served", await result.InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(await page.Locator("#components-reconnect-modal").IsVisibleAsync());
        await page.Locator("[data-testid=apply-close]").ClickAsync();
        // Only a live circuit marks the new default in the list.
        await row.Locator("[data-testid=default-marker]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        var served = _panel.Services.GetRequiredService<CertificateHolder>().Current;
        Assert.Equal(created, served.CertificateId);
        Assert.NotEqual(before, served.Thumbprint);
        Assert.Equal(served.Thumbprint, OpenSslThumbprint(port));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task SettingsPage_MoveListener_BrowserFollowsToTheNewPortAndTheOldOneCloses()
    {
        var oldPort = _panel.Port;
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var newPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        await _panel.CreateAdminAsync(page);
        await _panel.OpenAsync(page, "/settings");

        await page.FillAsync("#listener-https-port", newPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#listener-https-port").BlurAsync();
        await page.Locator("[data-testid=listener-review]").ClickAsync();
        var target = $"https://127.0.0.1:{newPort}/settings";
        Assert.Equal(target, await page.Locator("[data-testid=listener-new-url]").InnerTextAsync());
        await page.Locator("[data-testid=listener-apply]").ClickAsync();

        await page.Locator("[data-testid=listener-moved]").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        await page.WaitForURLAsync(target, new PageWaitForURLOptions { Timeout = 20_000 });
        await page.Locator("[data-testid=listener-https]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Equal(newPort.ToString(System.Globalization.CultureInfo.InvariantCulture), (await page.Locator("[data-testid=listener-https]").InnerTextAsync()).Trim());
        Assert.Equal(_panel.Services.GetRequiredService<CertificateHolder>().Current.Thumbprint, OpenSslThumbprint(newPort));
        using var old = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => old.ConnectAsync(IPAddress.Loopback, oldPort));
    }

    private async Task<int> CreateCertificateAsync()
    {
        var storage = _panel.Services.GetRequiredService<PanelStorage>();
        var created = await new SelfSignedService(storage, TimeProvider.System).CreateAsync(new SelfSignedRequest
        {
            Root = new RootCaOptions { Subject = DistinguishedName.Create("Browser Test Root").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
            Server = new LeafOptions
            {
                Subject = DistinguishedName.Create("localhost").Value,
                SubjectAlternativeNames = SanParser.ParseAll(["localhost", "127.0.0.1"]).Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            },
            Description = Description,
            SetAsDefault = false,
        }, "test");
        Assert.True(created.IsSuccess, created.Error);
        return created.Value.CertificateId;
    }

    private static string OpenSslThumbprint(int port)
    {
        var result = RunningPanel.Run("sh", "-c",
            $"openssl s_client -connect 127.0.0.1:{port} -servername localhost </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256");
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Output.Trim().Split('=')[^1].Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
    }
}
