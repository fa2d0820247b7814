using Microsoft.Playwright;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// A running panel holding <see cref="HomeLabInventory"/>, one Chromium, and the admin's signed-in browser state,
/// shared by the tests of one class. Each page gets its own browser context (theme, viewport) from that state.
/// </summary>
public sealed class HomeLabPanel : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private string? _signedIn;

    public BrowserPanel Panel { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Panel = await BrowserPanel.StartAsync(HomeLabInventory.SeedAsync, HomeLabInventory.BoxName);
        _playwright = await Playwright.CreateAsync();
        Browser = await HeadlessChromium.LaunchAsync(_playwright);
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        await Panel.CreateAdminAsync(page);
        // The first visit makes the authenticator key, which changes the security stamp and so ends every other
        // session: it happens here, before the signed-in state is copied into each test's browser context.
        await page.GotoAsync(Panel.Address + "/account/two-factor");
        await page.Locator("#Code").WaitForAsync();
        _signedIn = await context.StorageStateAsync();
    }

    /// <summary>
    /// A signed-in page in <paramref name="theme"/> at the given viewport. A dark page has already used the panel's
    /// theme toggle, so every panel page it opens next is dark.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(PanelTheme theme, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            StorageState = _signedIn,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = PanelThemes.ColorScheme(theme),
        });
        var page = await context.NewPageAsync();
        if (theme == PanelTheme.Dark)
        {
            await page.GotoAsync(Panel.Address + "/settings");
            await PanelThemes.SwitchToDarkAsync(page);
        }

        return context;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Panel is not null)
        {
            await Panel.DisposeAsync();
        }
    }
}
