using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The screens added for Edit, Replace, cancelling a request and the Sign CSR wizard's frame, and the details sheet on
/// a phone, in Chromium at 1280 px and 390 px: nothing wider than the screen, buttons aligned, pictures taken. With
/// SYNOCERT_REVIEW_SCREENSHOTS_DIR set the pictures are kept there for review; otherwise they go to a temporary folder.
/// </summary>
public sealed class CertificateScreensBrowserTests(HomeLabPanel lab) : IClassFixture<HomeLabPanel>, IDisposable
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

    [Fact]
    public async Task PhoneDetails_OpenAsAFullScreenSheetAndCloseBackToTheSelectedRow()
    {
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width: 390, height: 844);
        var page = context.Pages.Single();
        await OpenCertificatesAsync(page);

        await NasRow(page).ClickAsync();
        var sheet = page.Locator("[data-testid=details-sheet]");
        await page.Locator("[data-testid=details]").WaitForAsync(Shown);

        var box = (await sheet.BoundingBoxAsync())!;
        Assert.Equal((0f, 0f, 390f, 844f), (box.X, box.Y, box.Width, box.Height));
        await Assertions.Expect(page.Locator("[data-testid=details-close]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=details-subject]")).ToBeInViewportAsync();
        Assert.True(await sheet.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"), "the sheet scrolls sideways");
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "Details sheet (390 px)");
        await SaveAsync(page, "details-sheet-phone.png");

        await page.ClickAsync("[data-testid=details-close]");
        await Assertions.Expect(sheet).ToHaveCountAsync(0);
        // The phone list (cards, with the small-screen sort select) passes axe too.
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "Certificate list (390 px)");
        // The row stays selected, so the toolbar acts on it.
        await Assertions.Expect(page.Locator("button[data-testid=edit]")).ToBeEnabledAsync();
        await NasRow(page).ClickAsync();
        await Assertions.Expect(sheet).ToBeVisibleAsync();
    }

    /// <summary>
    /// The sheet covers the page's toolbar, so it brings the actions on its certificate along: each is on top (not under
    /// the sheet) and opens its dialog over the sheet.
    /// </summary>
    [Fact]
    public async Task PhoneDetails_SheetCarriesTheToolbarActions_ExportOpensOverIt()
    {
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width: 390, height: 844);
        var page = context.Pages.Single();
        await OpenCertificatesAsync(page);

        await NasRow(page).ClickAsync();
        await page.Locator("[data-testid=details]").WaitForAsync(Shown);

        foreach (var action in new[] { "edit", "export", "renew", "set-default", "delete" })
        {
            var button = page.Locator($"[data-testid=sheet-toolbar] [data-testid=sheet-{action}]");
            await Assertions.Expect(button).ToBeInViewportAsync();
            Assert.True(await button.EvaluateAsync<bool>("""
                e => { const r = e.getBoundingClientRect(); const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); return !!hit && !!hit.closest('[data-testid=sheet-toolbar]'); }
                """), $"{action} in the sheet is covered");
        }

        Assert.True(await page.Locator("[data-testid=details-sheet]").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"), "the sheet scrolls sideways");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=sheet-toolbar]"));
        await page.ClickAsync("button[data-testid=sheet-export]");
        var dialog = page.Locator("[data-testid=export-dialog]");
        await dialog.WaitForAsync(Shown);
        Assert.True(await dialog.EvaluateAsync<bool>("""
            e => { const r = e.getBoundingClientRect(); const hit = document.elementFromPoint(r.x + r.width / 2, r.y + Math.min(r.height / 2, 40)); return !!hit && e.contains(hit); }
            """), "the export dialog opens under the sheet");
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "Export from the details sheet (390 px)");
    }

    /// <summary>
    /// On a phone every wizard shows all its steps: MudStepper's own step bar scrolls sideways and hides the later ones
    /// off the screen; here they wrap, every label in view and no word broken.
    /// </summary>
    [Theory]
    [InlineData("/certificates/add/self-signed")]
    [InlineData("/certificates/add/csr")]
    [InlineData("/certificates/add/sign")]
    [InlineData("/certificates/import")]
    public async Task PhoneWizard_AllStepsInView_NothingScrollsSideways(string path)
    {
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width: 390, height: 844);
        var page = context.Pages.Single();
        await lab.Panel.OpenAsync(page, path);
        var steps = page.Locator(".mud-stepper-nav .mud-step");
        await steps.First.WaitForAsync(Shown);

        Assert.True(await steps.CountAsync() >= 2, "the wizard shows fewer than two steps");
        foreach (var right in await steps.EvaluateAllAsync<double[]>("all => all.map(e => e.getBoundingClientRect().right)"))
        {
            Assert.True(right <= 390, $"a step ends at x={right}, off a 390 px screen");
        }

        Assert.True(await page.Locator(".mud-stepper-nav").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"), "the step bar scrolls sideways");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways on a phone");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, ".mud-main-content"));
        await SaveAsync(page, $"wizard-phone{path.Replace('/', '-')}.png");
    }

    /// <summary>
    /// At 1280 px the audit log's dates and actions and the Authorities dates stay whole: "2026-12-" / "07" and
    /// "authority.c" / "reate" came from dates breaking at their hyphens and actions wrapping anywhere. (The audit's
    /// free-text detail is the column that gives way, so it is left out.)
    /// </summary>
    [Theory]
    [InlineData("/audit", "[data-testid=audit-table] tbody td:not([data-label=Detail])")]
    [InlineData("/authorities", "[data-testid=authority-table] tbody td")]
    public async Task DesktopTables_DatesAndActionsKeepTheirWordsWhole(string path, string cells)
    {
        await using var context = await lab.NewContextAsync(PanelTheme.Light);
        var page = context.Pages.Single();
        await lab.Panel.OpenAsync(page, path);
        await page.Locator(cells).First.WaitForAsync(Shown);

        var count = await page.Locator(cells).CountAsync();
        for (var i = 0; i < count; i++)
        {
            Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, $"{cells} >> nth={i}"));
        }

        Assert.True(await page.Locator(cells).Locator("xpath=ancestor::div[contains(@class,'mud-table-container')]").First
            .EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"), $"the table on {path} scrolls sideways");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways");
    }

    [Fact]
    public async Task DesktopDetails_BesideTheListWithNoCloseBar()
    {
        await using var context = await lab.NewContextAsync(PanelTheme.Light);
        var page = context.Pages.Single();
        await OpenCertificatesAsync(page);

        await NasRow(page).ClickAsync();
        await page.Locator("[data-testid=details]").WaitForAsync(Shown);

        var box = (await page.Locator("[data-testid=details-sheet]").BoundingBoxAsync())!;
        Assert.True(box.X > 640, $"the details start at x={box.X}, not beside the list");
        await Assertions.Expect(page.Locator("[data-testid=details-close]")).ToBeHiddenAsync();
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task EditDialog_ShowsDescriptionAndUses_Screenshot(int width, int height)
    {
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width, height);
        var page = context.Pages.Single();
        await OpenCertificatesAsync(page);
        await NasRow(page).ClickAsync();
        await page.Locator("[data-testid=details]").WaitForAsync(Shown);
        if (width < 600)
        {
            await page.ClickAsync("[data-testid=details-close]");
        }

        await page.ClickAsync("button[data-testid=edit]");
        var dialog = page.Locator("[data-testid=edit-dialog]");
        await dialog.Locator("[data-testid=edit-use-listener]").WaitForAsync(Shown);

        Assert.Equal(HomeLabInventory.NasDescription, await page.InputValueAsync("[data-testid=edit-description] input, input[data-testid=edit-description]"));
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Edit dialog ({width} px)");
        await SaveAsync(page, $"edit-dialog-{width}.png");
        await page.ClickAsync("[data-testid=edit-cancel]");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task ReplaceDialog_FromTheAddMenu_Screenshot(int width, int height)
    {
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width, height);
        var page = context.Pages.Single();
        await OpenCertificatesAsync(page);

        await page.ClickAsync("[data-testid=add-menu] button, button[data-testid=add-menu]");
        await page.ClickAsync("[data-testid=add-replace]");
        await page.Locator("[data-testid=replace-old]").WaitForAsync(Shown);
        // The Add menu closed when its item was chosen; only the dialog is open.
        await Assertions.Expect(page.Locator("[data-testid=add-self-signed]")).ToBeHiddenAsync();

        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Replace dialog ({width} px)");
        await SaveAsync(page, $"replace-dialog-{width}.png");
        await page.ClickAsync("[data-testid=replace-next]");
        // Blazor navigates inside the page (no load event): the wizard's notice is the sign it arrived.
        await page.Locator("[data-testid=replacing-notice]").WaitForAsync(Shown);
        Assert.Contains("/certificates/add/self-signed?replaces=", page.Url, StringComparison.Ordinal);
        await AssertFitsAsync(page);
        await SaveAsync(page, $"replace-wizard-{width}.png");
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task SignWizard_SameFrameAndAlignedButtons_Screenshot(int width, int height)
    {
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width, height);
        var page = context.Pages.Single();

        await lab.Panel.OpenAsync(page, "/certificates/add/sign");
        await page.Locator("[data-testid=wizard-cancel]").WaitForAsync(Shown);

        var cancel = (await page.Locator("[data-testid=wizard-cancel]").BoundingBoxAsync())!;
        var next = (await page.Locator("[data-testid=wizard-next]").BoundingBoxAsync())!;
        Assert.Equal(cancel.Y, next.Y, 0.5);
        Assert.Equal(cancel.Height, next.Height, 0.5);
        Assert.Equal(1, await page.Locator(".mud-paper-outlined:has([data-testid=sign-wizard])").CountAsync());
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Sign CSR wizard ({width} px)");
        await SaveAsync(page, $"sign-wizard-{width}.png");

        await lab.Panel.OpenAsync(page, "/certificates/add/self-signed");
        await page.Locator("[data-testid=wizard-cancel]").WaitForAsync(Shown);
        await SaveAsync(page, $"self-signed-wizard-{width}.png");
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task PendingRequests_CancelAsksAndSaysTheKeyGoes_Screenshot(int width, int height)
    {
        var storage = lab.Panel.Services.GetRequiredService<PanelStorage>();
        var request = await new RequestService(storage, TimeProvider.System).CreateAsync(DistinguishedName.Create($"box{width}.home.arpa").Value,
            SanParser.ParseAll([$"box{width}.home.arpa"]).Value, KeyAlgorithm.EcdsaP256, $"Box {width}", "admin");
        Assert.True(request.IsSuccess, request.Error);
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width, height);
        var page = context.Pages.Single();

        await lab.Panel.OpenAsync(page, "/requests");
        // On a phone each request is a card: the table does not scroll sideways inside its frame either.
        await page.Locator($"[data-testid=request-cancel-{request.Value.Id}]").WaitForAsync(Shown);
        await SaveAsync(page, $"pending-requests-{width}.png");
        Assert.True(await page.Locator("[data-testid=requests-table]").EvaluateAsync<bool>(
            "e => [e, ...e.querySelectorAll('.mud-table-container, table')].every(x => x.scrollWidth <= x.clientWidth + 1)"),
            "the requests table scrolls sideways");
        await page.ClickAsync($"[data-testid=request-cancel-{request.Value.Id}]");
        await page.Locator("[data-testid=cancel-request-consequences]").WaitForAsync(Shown);

        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Cancel request dialog ({width} px)");
        await SaveAsync(page, $"cancel-request-{width}.png");
        await page.ClickAsync("[data-testid=cancel-request-confirm]");
        await Assertions.Expect(page.Locator($"[data-testid=request-cancel-{request.Value.Id}]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("its key destroyed");
    }

    private static ILocator NasRow(IPage page) =>
        page.Locator("[data-testid=certificate-table] tbody tr", new PageLocatorOptions { HasText = HomeLabInventory.NasDescription });

    private async Task OpenCertificatesAsync(IPage page)
    {
        await lab.Panel.OpenAsync(page, "/");
        await NasRow(page).WaitForAsync(Shown);
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
