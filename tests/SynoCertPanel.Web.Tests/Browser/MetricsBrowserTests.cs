using System.Net;
using Microsoft.Playwright;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>/metrics turned on from the real Settings page in Chromium: a bad range is refused beside the field, a good one opens it, off closes it.</summary>
public sealed class MetricsBrowserTests : IAsyncLifetime
{
    private BrowserPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await BrowserPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task SettingsPage_MetricsOnFromLoopbackThenOff_EndpointFollows(int width, int height)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true, ViewportSize = new ViewportSize { Width = width, Height = height } });
        var problems = await BrowserPanel.WatchForErrorsAsync(page);
        await _panel.CreateAdminAsync(page);
        await _panel.OpenAsync(page, "/settings");
        using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator })
        {
            BaseAddress = new Uri(_panel.Address),
        };
        var metrics = new Uri("/metrics", UriKind.Relative);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(metrics)).StatusCode);
        var section = page.Locator("[data-testid=metrics-settings]");
        await Assertions.Expect(section.Locator("[data-testid=metrics-state]")).ToHaveTextAsync("Now: /metrics is off.");

        await section.Locator("input[data-testid=metrics-enabled], [data-testid=metrics-enabled] input").CheckAsync();
        await page.FillAsync("#metrics-ranges", "127.0.0.1/8");
        await page.ClickAsync("[data-testid=metrics-save]");
        await Assertions.Expect(section.Locator("[data-testid=metrics-ranges-error]"))
            .ToHaveTextAsync("\"127.0.0.1/8\" sets address bits past the /8 prefix; did you mean 127.0.0.0/8?");
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Settings, metrics range refused ({width} px)");
        Assert.True(await section.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"), "The metrics section is wider than the page.");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(metrics)).StatusCode);

        await page.FillAsync("#metrics-ranges", "127.0.0.0/8");
        await page.ClickAsync("[data-testid=metrics-save]");
        await Assertions.Expect(section.Locator("[data-testid=metrics-saved]")).ToHaveTextAsync("Saved: /metrics is on, with a metrics:read token or from 127.0.0.0/8.");
        await Assertions.Expect(section.Locator("[data-testid=metrics-ranges-error]")).ToHaveCountAsync(0);
        var open = await client.GetAsync(metrics);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Contains("synocertpanel_certificate_expiry_seconds{", await open.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await section.Locator("input[data-testid=metrics-enabled], [data-testid=metrics-enabled] input").UncheckAsync();
        await page.ClickAsync("[data-testid=metrics-save]");
        await Assertions.Expect(section.Locator("[data-testid=metrics-saved]")).ToHaveTextAsync("Saved: /metrics is off.");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(metrics)).StatusCode);
        Assert.Empty(problems);
    }
}
