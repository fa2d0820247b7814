using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The API tokens section, its create dialog (form and the secret shown once) and the revoke confirmation at 1280 px and
/// 390 px: axe clean, nothing wider than the screen, no field name leaked into the text, pictures taken. With
/// SYNOCERT_REVIEW_SCREENSHOTS_DIR set the pictures are kept there for review; otherwise they go to a temporary folder.
/// </summary>
public sealed class ApiTokenScreensBrowserTests(HomeLabPanel lab) : IClassFixture<HomeLabPanel>, IDisposable
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
    public async Task TokenSection_CreateAndRevoke_AxeCleanAndFits_Screenshot(int width, int height)
    {
        var tokens = new ApiTokenService(lab.Panel.Services.GetRequiredService<PanelStorage>(), TimeProvider.System);
        var listed = await tokens.CreateAsync(new ApiTokenRequest
        {
            Name = $"Home Assistant dashboard {width}",
            Scopes = [ApiScopes.CertificatesRead, ApiScopes.AuditRead, ApiScopes.KeysExport],
            ExpiresInDays = 365,
        }, BrowserPanel.AdminName);
        Assert.True(listed.IsSuccess, listed.Error);
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width, height);
        var page = context.Pages.Single();
        var problems = await BrowserPanel.WatchForErrorsAsync(page);

        await lab.Panel.OpenAsync(page, "/settings");
        var section = page.Locator("[data-testid=token-settings]");
        await section.Locator($"[data-testid=token-row-{listed.Value.Token.Id}]").WaitForAsync(Shown);
        await section.ScrollIntoViewIfNeededAsync();
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Settings with API tokens ({width} px)");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=token-table] tbody"));
        await section.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Folder, $"tokens-section-{width}.png"), Animations = ScreenshotAnimations.Disabled });

        await page.ClickAsync("[data-testid=token-create]");
        await page.FillAsync("[data-testid=token-name-input] input, input[data-testid=token-name-input]", $"backup script {width}");
        await page.ClickAsync("[data-testid=token-scope-keys-export] input, input[data-testid=token-scope-keys-export]");
        await page.ClickAsync("[data-testid=token-expiry-Custom] input, input[data-testid=token-expiry-Custom]");
        await page.FillAsync("[data-testid=token-days] input, input[data-testid=token-days]", "0");
        await page.ClickAsync("[data-testid=token-save]");
        await page.Locator("[data-testid=token-expiry-error]").WaitForAsync(Shown);
        // The dialog scrolls inside itself; the message that stopped the submit is brought into view.
        await Assertions.Expect(page.Locator("[data-testid=token-expiry-error]")).ToBeInViewportAsync();
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Create token dialog with an error ({width} px)");
        await SaveAsync(page, $"token-create-{width}.png");

        await page.FillAsync("[data-testid=token-days] input, input[data-testid=token-days]", "14");
        await page.FillAsync("[data-testid=token-password] input, input[data-testid=token-password]", BrowserPanel.AdminPassword);
        await page.ClickAsync("[data-testid=token-save]");
        await page.Locator("[data-testid=token-curl]").WaitForAsync(Shown);
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Create token dialog, the secret ({width} px)");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=token-dialog]"));
        await SaveAsync(page, $"token-secret-{width}.png");
        await page.ClickAsync("[data-testid=token-done]");

        await page.ClickAsync($"[data-testid=token-revoke-{listed.Value.Token.Id}]");
        await page.Locator("[data-testid=revoke-password]").First.WaitForAsync(Shown);
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Revoke token dialog ({width} px)");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=revoke-dialog]"));
        await SaveAsync(page, $"token-revoke-{width}.png");
        await page.ClickAsync("[data-testid=revoke-keep]");
        await Assertions.Expect(page.Locator("[data-testid=revoke-dialog]")).ToHaveCountAsync(0);
        Assert.Empty(problems);
    }

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
        });
        Assert.True(new FileInfo(Path.Combine(Folder, name)).Length > 0);
    }
}
