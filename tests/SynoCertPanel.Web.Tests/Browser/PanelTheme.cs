using Microsoft.Playwright;

namespace SynoCertPanel.Web.Tests.Browser;

public enum PanelTheme
{
    Light,
    Dark,
}

/// <summary>
/// Puts a browser context into a theme the way a person does: the app bar's toggle (remembered in the browser)
/// for the panel's pages, and the system's colour scheme for the plain pages (sign-in, setup, account, /trust).
/// </summary>
public static class PanelThemes
{
    public static ColorScheme ColorScheme(PanelTheme theme) => theme == PanelTheme.Dark ? Microsoft.Playwright.ColorScheme.Dark : Microsoft.Playwright.ColorScheme.Light;

    /// <summary>On an interactive panel page in the light theme, clicks the toggle and waits until the page is dark.</summary>
    public static async Task SwitchToDarkAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await BrowserPanel.WaitUntilInteractiveAsync(page);
        await page.ClickAsync("[data-testid=theme-toggle]");
        await page.WaitForFunctionAsync("() => localStorage.getItem('synocertpanel.theme') === 'dark'");
        await WaitForBackgroundAsync(page, dark: true);
        // Off the toggle, so its tooltip does not stay open over the next page.
        await page.Mouse.MoveAsync(640, 790);
    }

    /// <summary>Whether the body's background is dark (relative luminance of its colour at most half).</summary>
    private const string BackgroundIsDark = """
        () => {
            const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
            return (0.2126 * r + 0.7152 * g + 0.0722 * b) <= 128;
        }
        """;

    /// <summary>Waits until the page's background is dark (or light): the theme has been applied, not only chosen.</summary>
    public static Task WaitForBackgroundAsync(IPage page, bool dark)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.WaitForFunctionAsync($"dark => ({BackgroundIsDark})() === dark", dark);
    }

    /// <summary>Whether the page's background is dark right now, without waiting.</summary>
    public static Task<bool> IsDarkAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.EvaluateAsync<bool>(BackgroundIsDark);
    }
}
