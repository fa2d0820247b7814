using System.Globalization;
using Microsoft.Playwright;
using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The Boxes page as a person uses it at 1280 px and 390 px: add a watch-only box through the dialog (a bad endpoint is
/// refused with the service's sentence first), then Check now against a real TLS endpoint (the panel's own listener on
/// 127.0.0.1) until the row shows a state chip. Axe clean, nothing wider than the screen, no word broken, pictures taken:
/// with SYNOCERT_REVIEW_SCREENSHOTS_DIR set they are kept there for review; otherwise they go to a temporary folder.
/// </summary>
public sealed class BoxesBrowserTests(HomeLabPanel lab) : IClassFixture<HomeLabPanel>, IDisposable
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

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task AddWatchOnlyBox_BadEndpointRefusedThenCheckNow_ShowsTheStateChip(int width, int height)
    {
        var name = $"lab-{width}";
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width, height);
        var page = context.Pages.Single();
        var problems = await BrowserPanel.WatchForErrorsAsync(page);

        await lab.Panel.OpenAsync(page, "/boxes");
        await page.ClickAsync("[data-testid=box-add]");
        await Fill(page, "box-name-input", name);
        await Fill(page, "box-addresses-input", "127.0.0.1, localhost");
        await Fill(page, "box-watch-input", "127.0.0.1:99999");
        await page.ClickAsync("[data-testid=box-save]");

        var refusal = page.Locator("[data-testid=box-refusal]");
        await refusal.WaitForAsync(Shown);
        Assert.Equal(BoxRules.Endpoints(["127.0.0.1:99999"]).Error, (await refusal.InnerTextAsync()).Trim());
        await Assertions.Expect(refusal).ToBeInViewportAsync();
        Assert.Equal(name, await page.InputValueAsync("[data-testid=box-name-input] input, input[data-testid=box-name-input]"));
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Add box dialog with a refusal ({width} px)");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=box-dialog]"));
        await SaveAsync(page, $"box-add-refused-{width}.png");

        await Fill(page, "box-watch-input", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{lab.Panel.Port}"));
        await page.ClickAsync("[data-testid=box-save]");
        await Assertions.Expect(page.Locator("[data-testid=box-dialog]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"The box \"{name}\" was added.");
        var row = page.Locator("[data-testid=box-table] tbody tr", new PageLocatorOptions { Has = page.Locator("[data-testid=box-row-name]", new PageLocatorOptions { HasTextString = name }) });
        await row.WaitForAsync(Shown);
        Assert.Equal("none", await row.Locator("[data-testid^=endpoint-state-]").GetAttributeAsync("data-state"));

        await row.Locator("[data-testid^=box-check-]").ClickAsync();
        var verdict = page.Locator("[data-testid=box-activity] [data-testid=box-check-state]");
        await verdict.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var chip = row.Locator("[data-testid^=endpoint-state-]");
        await Assertions.Expect(chip).Not.ToHaveAttributeAsync("data-state", "none");
        Assert.Equal((await verdict.InnerTextAsync()).Trim(), (await chip.InnerTextAsync()).Trim());
        Assert.NotEqual("Unreachable", (await chip.InnerTextAsync()).Trim());

        await chip.ClickAsync();
        await row.Locator("[data-testid^=endpoint-message-]").WaitForAsync(Shown);
        Assert.Contains($"127.0.0.1:{lab.Panel.Port}", await row.Locator("[data-testid^=endpoint-message-]").InnerTextAsync(), StringComparison.Ordinal);
        await AssertFitsAsync(page);
        // axe reads colours as painted: a snackbar still fading in blends its green with the page.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.mud-snackbar')].every(s => getComputedStyle(s).opacity === '1')");
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Boxes page after Check now ({width} px)");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=box-table] tbody"));
        await SaveAsync(page, $"boxes-checked-{width}.png");

        await lab.Panel.OpenAsync(page, "/");
        var dashboard = page.Locator("[data-testid=box-dashboard]");
        await dashboard.Locator("[data-testid^=box-dashboard-row-]").First.WaitForAsync(Shown);
        Assert.Contains(name, await dashboard.InnerTextAsync(), StringComparison.Ordinal);
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Home page with the watched endpoints ({width} px)");
        await dashboard.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Folder, $"home-dashboard-{width}.png"), Animations = ScreenshotAnimations.Disabled });
        Assert.Empty(problems);
    }

    private static Task Fill(IPage page, string testId, string value) =>
        page.FillAsync($"[data-testid={testId}] input, input[data-testid={testId}]", value);

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
