using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using SynoCertPanel.Web.Protection;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>The panel's Content-Security-Policy as Chromium enforces it.</summary>
public sealed class ContentSecurityPolicyBrowserTests : IAsyncLifetime
{
    /// <summary>Records every CSP violation from the first byte of each page, before the panel's own scripts run.</summary>
    private const string RecordViolations =
        "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));";

    private BrowserPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await BrowserPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task PageScript_WebSocketToAnotherHost_IsBlockedWhileTheCircuitConnects()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        // Chromium reports a socket even when CSP blocks it, so this shows only that the circuit used a WebSocket.
        var sockets = new List<string>();
        page.WebSocket += (_, socket) => sockets.Add(socket.Url);
        await page.AddInitScriptAsync(RecordViolations);

        await _panel.CreateAdminAsync(page);
        var home = await page.APIRequest.GetAsync(_panel.Address + "/");
        var beforeTheProbe = await page.EvaluateAsync<string[]>("() => window.__violations");
        var violations = await page.EvaluateAsync<string[]>("""
            () => new Promise(resolve => {
                try { new WebSocket('wss://127.0.0.2:1/'); } catch { }
                setTimeout(() => resolve(window.__violations), 1000);
            })
            """);

        Assert.Equal(PanelContentSecurityPolicy.For(new HostString($"127.0.0.1:{_panel.Port}")), home.Headers["content-security-policy"]);
        Assert.Empty(beforeTheProbe);
        Assert.Contains(sockets, url => url.StartsWith($"wss://127.0.0.1:{_panel.Port}/_blazor", StringComparison.Ordinal));
        Assert.Equal(["connect-src wss://127.0.0.2:1/"], violations);
        Assert.Equal(1, await page.Locator("#panel-interactive").CountAsync());
    }
}
