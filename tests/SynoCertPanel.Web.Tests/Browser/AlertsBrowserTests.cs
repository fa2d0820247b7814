using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Tests.Alerts;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The Alerts page and a box's Edit as a person uses them at 1280 px and 390 px: add an ntfy channel (a bad topic is
/// refused with the service's sentence first), Send test to a real local receiver, the outcome and the history say it
/// arrived; edit a box (a bad endpoint refused, then saved). Axe clean, nothing wider than the screen, no word broken,
/// pictures taken: with SYNOCERT_REVIEW_SCREENSHOTS_DIR set they are kept there for review.
/// </summary>
public sealed class AlertsBrowserTests(HomeLabPanel lab) : IClassFixture<HomeLabPanel>, IDisposable
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
    public async Task AddNtfyChannel_BadTopicRefused_ThenSendTest_OutcomeAndHistorySayItArrived(int width, int height)
    {
        var name = $"phone-{width}";
        await using var receiver = AlertReceiver.Start();
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width, height);
        var page = context.Pages.Single();
        var problems = await BrowserPanel.WatchForErrorsAsync(page);

        await lab.Panel.OpenAsync(page, "/alerts");
        await page.ClickAsync("[data-testid=alert-add]");
        await Fill(page, "alert-name-input", name);
        await Fill(page, "alert-option-server-url", receiver.Url);
        await Fill(page, "alert-option-topic", "lab alerts!");
        await page.ClickAsync("[data-testid=alert-save]");

        var refusal = page.Locator("[data-testid=alert-refusal]");
        await refusal.WaitForAsync(Shown);
        Assert.Contains("topic", await refusal.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await Assertions.Expect(refusal).ToBeInViewportAsync();
        Assert.Equal(name, await page.InputValueAsync("[data-testid=alert-name-input] input, input[data-testid=alert-name-input]"));
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Add alert channel dialog with a refusal ({width} px)");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=alert-dialog]"));
        await SaveAsync(page, $"alert-add-refused-{width}.png");

        await Fill(page, "alert-option-topic", $"lab-{width}");
        await page.ClickAsync("[data-testid=alert-save]");
        await Assertions.Expect(page.Locator("[data-testid=alert-dialog]")).ToHaveCountAsync(0);
        var row = page.Locator("[data-testid=alert-table] tbody tr", new PageLocatorOptions { Has = page.Locator("[data-testid=alert-row-name]", new PageLocatorOptions { HasTextString = name }) });
        await row.WaitForAsync(Shown);

        await row.Locator("[data-testid^=alert-test-]").ClickAsync();
        var outcome = page.Locator("[data-testid=alert-outcome]");
        await outcome.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Equal("status", await outcome.GetAttributeAsync("role"));
        Assert.Equal($"A test message was sent to {name}: \"SynoCertPanel test message for {name}\".", (await outcome.InnerTextAsync()).Trim());
        var received = Assert.Single(receiver.Received);
        Assert.Equal($"/lab-{width}", received.Path);
        var history = page.Locator("[data-testid=alert-history] tbody tr").First;
        await Assertions.Expect(history.Locator("[data-testid=alert-history-channel]")).ToHaveTextAsync(name);
        await Assertions.Expect(history.Locator("[data-testid=alert-history-outcome]")).ToHaveTextAsync("Delivered");
        await Assertions.Expect(row.Locator("[data-testid^=alert-last-sent-]")).Not.ToHaveTextAsync("Never");
        await AssertFitsAsync(page);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.mud-snackbar')].every(s => getComputedStyle(s).opacity === '1')");
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Alerts page after Send test ({width} px)");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=alert-table] tbody"));
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=alert-history] tbody"));
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=alert-outcome]"));
        await SaveAsync(page, $"alerts-tested-{width}.png");
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task EditBox_BadEndpointRefused_ThenSaved_TheRowShowsTheChange(int width, int height)
    {
        var name = $"edit-{width}";
        using (var scope = lab.Panel.Services.CreateScope())
        {
            var added = await scope.ServiceProvider.GetRequiredService<BoxService>().AddAsync(
                new BoxDraft { Name = name, Addresses = ["127.0.0.1"], Watch = ["127.0.0.1:8443"] }, BrowserPanel.AdminName);
            Assert.True(added.IsSuccess, added.Error);
        }

        await using var context = await lab.NewContextAsync(PanelTheme.Light, width, height);
        var page = context.Pages.Single();
        var problems = await BrowserPanel.WatchForErrorsAsync(page);
        await lab.Panel.OpenAsync(page, "/boxes");
        var row = page.Locator("[data-testid=box-table] tbody tr", new PageLocatorOptions { Has = page.Locator("[data-testid=box-row-name]", new PageLocatorOptions { HasTextString = name }) });
        await row.WaitForAsync(Shown);

        await row.Locator("[data-testid^=box-edit-]").ClickAsync();
        Assert.Equal(name, await page.InputValueAsync("[data-testid=box-name-input] input, input[data-testid=box-name-input]"));
        Assert.Equal("127.0.0.1:8443", await page.InputValueAsync("[data-testid=box-watch-input] input, input[data-testid=box-watch-input]"));
        await Fill(page, "box-watch-input", "127.0.0.1:8443, 127.0.0.1:70000");
        await page.ClickAsync("[data-testid=box-save]");
        var refusal = page.Locator("[data-testid=box-refusal]");
        await refusal.WaitForAsync(Shown);
        Assert.Equal(BoxRules.Endpoints(["127.0.0.1:8443", "127.0.0.1:70000"]).Error, (await refusal.InnerTextAsync()).Trim());
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Edit box dialog with a refusal ({width} px)");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=box-dialog]"));
        await SaveAsync(page, $"box-edit-refused-{width}.png");

        var port = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{lab.Panel.Port}");
        await Fill(page, "box-watch-input", $"127.0.0.1:8443, {port}");
        await page.ClickAsync("[data-testid=box-save]");
        await Assertions.Expect(page.Locator("[data-testid=box-dialog]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"The box \"{name}\" was saved.");
        await Assertions.Expect(row.Locator("[data-testid^=endpoint-state-]")).ToHaveCountAsync(2);
        await AssertFitsAsync(page);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.mud-snackbar')].every(s => getComputedStyle(s).opacity === '1')");
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Boxes page after an edit ({width} px)");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=box-table] tbody"));
        await SaveAsync(page, $"box-edited-{width}.png");
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
