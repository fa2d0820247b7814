using Microsoft.Playwright;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// Screenshots of the panel holding a home lab's certificates, in both themes at 1280×800 and on a phone at 390×844,
/// after checking that each page shows what was stored. With SYNOCERT_SCREENSHOTS_DIR set (the repository's
/// docs/screenshots) they are written there for the README; otherwise into a temporary folder that is removed.
/// </summary>
public sealed class ScreenshotTests(HomeLabPanel lab) : IClassFixture<HomeLabPanel>, IDisposable
{
    public const string DirectoryVariable = "SYNOCERT_SCREENSHOTS_DIR";

    /// <summary>Kept small so the README's images stay cheap to clone.</summary>
    private const long MaxBytes = 300 * 1024;

    private static readonly LocatorWaitForOptions Shown = new() { Timeout = 15_000 };
    private readonly string? _temporary = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } ? null
        : Directory.CreateTempSubdirectory("synocert-screens-").FullName;

    private string Folder => _temporary ?? Directory.CreateDirectory(Environment.GetEnvironmentVariable(DirectoryVariable)!).FullName;

    public void Dispose()
    {
        if (_temporary is not null)
        {
            Directory.Delete(_temporary, recursive: true);
        }
    }

    [Theory]
    [InlineData(PanelTheme.Light)]
    [InlineData(PanelTheme.Dark)]
    public async Task DesktopPages_ShowTheHomeLab_Screenshots(PanelTheme theme)
    {
        var suffix = theme.ToString().ToLowerInvariant();
        await using var context = await lab.NewContextAsync(theme);
        var page = context.Pages.Single();

        await OpenCertificatesWithDetailsAsync(page);
        await ThemedAsync(page, theme);
        Assert.Equal(HomeLabInventory.BoxName, await page.Locator("[data-testid=box-name]").InnerTextAsync());
        // Beside the details at 1280 px the list fits without scrolling sideways: the expiry column is in view.
        Assert.True(await page.Locator("[data-testid=certificate-table] .mud-table-container").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"));
        await Assertions.Expect(page.Locator("[data-testid=certificate-table] th", new PageLocatorOptions { HasText = "Expires" })).ToBeInViewportAsync();
        Assert.Empty(await BrokenWordsAsync(page, "[data-testid=certificate-table] tbody"));
        Assert.Empty(await BrokenWordsAsync(page, "[data-testid=details]"));
        await SaveAsync(page, $"certificates-{suffix}.png");

        await page.GotoAsync(lab.Panel.Address + "/authorities");
        await ThemedAsync(page, theme);
        var authority = page.Locator("[data-testid=authority-table] tbody tr", new PageLocatorOptions { HasText = HomeLabInventory.RootName });
        await authority.WaitForAsync(Shown);
        Assert.Equal("4", (await authority.Locator("[data-testid=issued-count]").InnerTextAsync()).Trim());
        await SaveAsync(page, $"authorities-{suffix}.png");

        await page.GotoAsync(lab.Panel.Address + "/trust");
        var ca = page.Locator("section.ca", new PageLocatorOptions { HasText = HomeLabInventory.RootName });
        await ca.WaitForAsync(Shown);
        Assert.Contains("SHA-256", await ca.InnerTextAsync(), StringComparison.Ordinal);
        await PanelThemes.WaitForBackgroundAsync(page, dark: theme == PanelTheme.Dark);
        await SaveAsync(page, $"trust-{suffix}.png");

        await page.GotoAsync(lab.Panel.Address + "/settings");
        await ThemedAsync(page, theme);
        Assert.Contains(lab.Panel.DataDirectory, await page.Locator(".mud-main-content").InnerTextAsync(), StringComparison.Ordinal);
        await SaveAsync(page, $"settings-{suffix}.png");
    }

    [Theory]
    [InlineData(PanelTheme.Light)]
    [InlineData(PanelTheme.Dark)]
    public async Task SelfSignedWizardReview_ShowsTheLintVerdict_Screenshots(PanelTheme theme)
    {
        await using var context = await lab.NewContextAsync(theme);
        var page = context.Pages.Single();

        await page.GotoAsync(lab.Panel.Address + "/certificates/add/self-signed");
        await ThemedAsync(page, theme);
        await page.Locator("label.mud-radio", new PageLocatorOptions { HasText = HomeLabInventory.RootName }).ClickAsync();
        await page.ClickAsync("[data-testid=wizard-next]");
        foreach (var name in new[] { "media.home.arpa", "192.168.1.20" })
        {
            await page.FillAsync("[data-testid=server-san-input]", name);
            await page.PressAsync("[data-testid=server-san-input]", "Enter");
        }

        await Assertions.Expect(page.Locator("[data-testid=server-san-chip]")).ToHaveCountAsync(2);
        await page.FillAsync("[data-testid=server-description] input, input[data-testid=server-description]", "Media server");
        // A certificate for another box: the panel keeps serving its own.
        var setDefault = page.Locator("input[data-testid=server-set-default], [data-testid=server-set-default] input");
        if (await setDefault.IsCheckedAsync())
        {
            await setDefault.ClickAsync();
        }

        await page.ClickAsync("[data-testid=wizard-next]");
        await page.Locator("[data-testid=review-certificate]").WaitForAsync(Shown);

        Assert.Contains("media.home.arpa", await page.Locator("[data-testid=review-subject]").InnerTextAsync(), StringComparison.Ordinal);
        var names = await page.Locator("[data-testid=review-names]").InnerTextAsync();
        Assert.Contains("DNS:media.home.arpa", names, StringComparison.Ordinal);
        Assert.Contains("IP:192.168.1.20", names, StringComparison.Ordinal);
        var lint = page.Locator("[data-testid=lint]");
        var verdicts = await lint.Locator(".mud-chip").AllInnerTextsAsync();
        foreach (var client in new[] { "Chrome", "Apple (Safari, iOS, macOS)", "Firefox", "Windows", "Android", "OpenSSL (curl, Python)" })
        {
            Assert.Contains(client, verdicts.Select(v => v.Trim()));
        }

        Assert.Equal(verdicts.Count, await lint.Locator(".mud-chip.mud-chip-color-success").CountAsync());
        Assert.Contains("name constraints", await lint.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("The panel keeps serving its current certificate.", await page.Locator("[data-testid=review-steps]").InnerTextAsync(), StringComparison.Ordinal);

        await SaveAsync(page, $"self-signed-review-{theme.ToString().ToLowerInvariant()}.png");
    }

    /// <summary>
    /// The words inside <paramref name="selector"/> that the layout split over two lines ("SynoCertPane" / "l CA",
    /// "P-" / "256"): each word of each text node must sit on one line. Hex fingerprints and serials (monospaced) are
    /// meant to wrap anywhere and are left out.
    /// </summary>
    internal static Task<string[]> BrokenWordsAsync(IPage page, string selector) => page.Locator(selector).EvaluateAsync<string[]>("""
        root => {
          const broken = [];
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode;
            if (node.parentElement && node.parentElement.closest('.panel-mono')) continue;
            for (const match of node.nodeValue.matchAll(/\S+/g)) {
              const range = document.createRange();
              range.setStart(node, match.index);
              range.setEnd(node, match.index + match[0].length);
              const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
              if (lines.size > 1) broken.push(match[0]);
            }
          }
          return broken;
        }
        """);

    [Fact]
    public async Task PhoneCertificates_ShowsTheRowsAsCards_Screenshot()
    {
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width: 390, height: 844);
        var page = context.Pages.Single();

        await page.GotoAsync(lab.Panel.Address + "/");
        await BrowserPanel.WaitUntilInteractiveAsync(page);
        var nas = page.Locator("[data-testid=certificate-table] tbody tr", new PageLocatorOptions { HasText = HomeLabInventory.NasDescription });
        await nas.WaitForAsync(Shown);
        Assert.Contains(HomeLabInventory.Nas, await nas.Locator("td[data-label='Issued to']").InnerTextAsync(), StringComparison.Ordinal);
        // Below the small breakpoint each row is a card: nothing is wider than the phone.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
        var table = await page.EvalOnSelectorAsync<int[]>("[data-testid=certificate-table] .mud-table-container", "e => [e.scrollWidth, e.clientWidth]");
        Assert.True(table[0] <= table[1], $"the certificate cards are {table[0]} px wide in a {table[1]} px container");
        Assert.Empty(await BrokenWordsAsync(page, "[data-testid=certificate-table] tbody"));
        await SaveAsync(page, "certificates-phone.png");
    }

    [Theory]
    [InlineData(PanelTheme.Light)]
    [InlineData(PanelTheme.Dark)]
    public async Task SignIn_InThePanelsFrame_Screenshots(PanelTheme theme)
    {
        await using var context = await lab.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            ColorScheme = PanelThemes.ColorScheme(theme),
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync(lab.Panel.Address + "/login");
        await page.Locator("#UserName").WaitForAsync(Shown);
        await PanelThemes.WaitForBackgroundAsync(page, dark: theme == PanelTheme.Dark);
        Assert.Equal("SynoCertPanel", (await page.Locator("header.mud-appbar .mud-typography-h6").InnerTextAsync()).Trim());
        Assert.Equal(0, await page.Locator("[data-testid=setup-link]").CountAsync());
        await SaveAsync(page, $"sign-in-{theme.ToString().ToLowerInvariant()}.png");
    }

    /// <summary>/trust on an iPhone: the iOS steps follow the CA list directly, the other platforms folded below them.</summary>
    [Fact]
    public async Task PhoneTrust_IosStepsFirst_Screenshot()
    {
        await using var context = await lab.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            IsMobile = true,
            HasTouch = true,
            ColorScheme = ColorScheme.Light,
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync(lab.Panel.Address + "/trust");
        await page.Locator("#steps-ios").WaitForAsync(Shown);
        Assert.Contains(HomeLabInventory.RootName, await page.Locator("section.ca").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "/trust scrolls sideways on a phone");
        Assert.True(await page.Locator("#steps-ios").EvaluateAsync<double>("e => e.getBoundingClientRect().top") < 2 * 844, "the iOS steps start within two screens");
        await SaveAsync(page, "trust-phone.png");
    }

    private async Task OpenCertificatesWithDetailsAsync(IPage page)
    {
        await page.GotoAsync(lab.Panel.Address + "/");
        await BrowserPanel.WaitUntilInteractiveAsync(page);
        var rows = page.Locator("[data-testid=certificate-table] tbody tr");
        await rows.Filter(new LocatorFilterOptions { HasText = HomeLabInventory.ImportedDescription }).WaitForAsync(Shown);
        var table = await page.Locator("[data-testid=certificate-table]").InnerTextAsync();
        foreach (var description in new[] { HomeLabInventory.RootName, HomeLabInventory.NasDescription, "Router admin page",
                     HomeLabInventory.PrinterDescription, HomeLabInventory.CameraDescription, HomeLabInventory.ImportedDescription })
        {
            Assert.Contains(description, table, StringComparison.Ordinal);
        }

        Assert.Contains("10 days left", await rows.Filter(new LocatorFilterOptions { HasText = HomeLabInventory.PrinterDescription }).InnerTextAsync(),
            StringComparison.Ordinal);
        Assert.Contains("expired", await rows.Filter(new LocatorFilterOptions { HasText = HomeLabInventory.CameraDescription }).InnerTextAsync(),
            StringComparison.Ordinal);
        Assert.Contains("Imported", await rows.Filter(new LocatorFilterOptions { HasText = HomeLabInventory.ImportedDescription }).InnerTextAsync(),
            StringComparison.Ordinal);
        var nas = rows.Filter(new LocatorFilterOptions { HasText = HomeLabInventory.NasDescription });
        await nas.Locator("[data-testid=default-marker]").WaitForAsync(Shown);

        await nas.ClickAsync();
        var details = page.Locator("[data-testid=details]");
        await details.WaitForAsync(Shown);
        var shown = await details.InnerTextAsync();
        Assert.Contains(HomeLabInventory.Nas, shown, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", shown, StringComparison.Ordinal);
        Assert.Contains("192.168.1.10", shown, StringComparison.Ordinal);
        Assert.Contains(HomeLabInventory.RootName, await page.Locator("[data-testid=chain]").InnerTextAsync(), StringComparison.Ordinal);
    }

    /// <summary>The panel applies the remembered theme once its circuit runs: wait for both before a picture.</summary>
    private static async Task ThemedAsync(IPage page, PanelTheme theme)
    {
        await BrowserPanel.WaitUntilInteractiveAsync(page);
        await PanelThemes.WaitForBackgroundAsync(page, dark: theme == PanelTheme.Dark);
    }

    private async Task SaveAsync(IPage page, string name)
    {
        await page.Mouse.MoveAsync(640, 790);
        var path = Path.Combine(Folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Type = ScreenshotType.Png, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        var size = new FileInfo(path).Length;
        Assert.InRange(size, 1, MaxBytes);
    }
}
