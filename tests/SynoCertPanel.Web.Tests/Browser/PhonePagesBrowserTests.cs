using Microsoft.Playwright;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The panel's pages on a 390 px phone, in both themes: nothing scrolls sideways, no word is broken over two lines,
/// and no field's label is cut off ("Your account password (a backup holds …" left the person guessing).
/// </summary>
public sealed class PhonePagesBrowserTests(HomeLabPanel lab) : IClassFixture<HomeLabPanel>
{
    /// <summary>Each outlined field's floating label, wider than the room it is given (MudBlazor cuts it with "…").</summary>
    private const string CutLabels = """
        () => [...document.querySelectorAll('.mud-main-content label.mud-input-label')]
          .filter(l => l.getClientRects().length > 0 && l.scrollWidth > l.clientWidth + 1)
          .map(l => l.textContent.trim())
        """;

    public static TheoryData<string, PanelTheme> Pages()
    {
        var data = new TheoryData<string, PanelTheme>();
        foreach (var theme in Enum.GetValues<PanelTheme>())
        {
            foreach (var path in new[] { "/settings", "/boxes", "/alerts", "/services", "/acme", "/audit", "/requests", "/authorities" })
            {
                data.Add(path, theme);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_OnAPhone_FitsWithWholeWordsAndWholeLabels(string path, PanelTheme theme)
    {
        await using var context = await lab.NewContextAsync(theme, width: 390, height: 844);
        var page = context.Pages.Single();
        var errors = await BrowserPanel.WatchForErrorsAsync(page);
        await lab.Panel.OpenAsync(page, path);
        await page.Locator(".mud-main-content h1").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways on a phone");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, ".mud-main-content"));
        Assert.Empty(await page.EvaluateAsync<string[]>(CutLabels));
        Assert.Empty(errors);
    }
}
