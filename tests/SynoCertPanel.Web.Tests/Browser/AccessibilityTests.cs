using Microsoft.Playwright;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// axe-core on every page of the running panel, in the light and the dark theme: no violation of impact serious or
/// critical. Panel pages are checked with content in them (certificates listed, a row selected and its details open).
/// </summary>
public sealed class AccessibilityTests(HomeLabPanel lab) : IClassFixture<HomeLabPanel>
{
    private static readonly LocatorWaitForOptions Shown = new() { Timeout = 15_000 };

    public static TheoryData<string, PanelTheme> SignedInPages()
    {
        var data = new TheoryData<string, PanelTheme>();
        foreach (var theme in Enum.GetValues<PanelTheme>())
        {
            foreach (var page in new[] { "Certificates", "Authorities", "Audit log", "Settings", "Trust", "Change password", "Two-factor",
                "Self-signed wizard", "CSR wizard", "Sign CSR wizard", "Import wizard", "Pending requests", "Create CA", "Export dialog", "Apply dialog" })
            {
                data.Add(page, theme);
            }
        }

        return data;
    }

    [Theory]
    [InlineData(PanelTheme.Light)]
    [InlineData(PanelTheme.Dark)]
    public async Task SetupAndLoginPages_BeforeTheAdminExists_NoSeriousViolations(PanelTheme theme)
    {
        await using var panel = await BrowserPanel.StartAsync();
        await using var context = await lab.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ColorScheme = PanelThemes.ColorScheme(theme),
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync(panel.Address + "/setup");
        await page.Locator("#SetupToken").WaitForAsync(Shown);
        await PanelThemes.WaitForBackgroundAsync(page, dark: theme == PanelTheme.Dark);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Setup ({theme})");

        await page.GotoAsync(panel.Address + "/login");
        await page.Locator("#UserName").WaitForAsync(Shown);
        await PanelThemes.WaitForBackgroundAsync(page, dark: theme == PanelTheme.Dark);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Login ({theme})");
    }

    [Theory]
    [MemberData(nameof(SignedInPages))]
    public async Task SignedInPage_WithContent_NoSeriousViolations(string pageName, PanelTheme theme)
    {
        await using var context = await lab.NewContextAsync(theme);
        var page = context.Pages.Single();

        await OpenAsync(page, pageName);
        await PanelThemes.WaitForBackgroundAsync(page, dark: theme == PanelTheme.Dark);

        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"{pageName} ({theme})");
    }

    /// <summary>
    /// A full page load shows the chosen theme from the server's first render: with Blazor's script blocked, no circuit
    /// ever starts, so what is painted is only what the server sent.
    /// </summary>
    [Theory]
    [InlineData(PanelTheme.Light)]
    [InlineData(PanelTheme.Dark)]
    public async Task FullPageLoad_IsPaintedInTheChosenTheme_BeforeTheCircuitStarts(PanelTheme theme)
    {
        await using var context = await lab.NewContextAsync(theme);
        var page = context.Pages.Single();
        await page.RouteAsync("**/_framework/blazor.web.js", route => route.AbortAsync());

        await page.GotoAsync(lab.Panel.Address + "/authorities", new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        Assert.Equal(theme == PanelTheme.Dark, await PanelThemes.IsDarkAsync(page));
        Assert.Equal(0, await page.Locator("#panel-interactive").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid=box-name]").CountAsync());
    }

    /// <summary>Opens the page and waits until it shows what the inventory holds, not only its frame.</summary>
    private async Task OpenAsync(IPage page, string pageName)
    {
        var address = lab.Panel.Address;
        switch (pageName)
        {
            case "Certificates":
                await page.GotoAsync(address + "/");
                await BrowserPanel.WaitUntilInteractiveAsync(page);
                await page.Locator("[data-testid=certificate-table] tbody tr", new PageLocatorOptions { HasText = HomeLabInventory.NasDescription })
                    .ClickAsync();
                await page.Locator("[data-testid=details]").WaitForAsync(Shown);
                Assert.Contains(HomeLabInventory.Nas, await page.Locator("[data-testid=details-subject]").InnerTextAsync(), StringComparison.Ordinal);
                break;
            case "Authorities":
                await page.GotoAsync(address + "/authorities");
                await page.Locator("[data-testid=authority-table] tbody tr", new PageLocatorOptions { HasText = HomeLabInventory.RootName }).WaitForAsync(Shown);
                break;
            case "Audit log":
                await page.GotoAsync(address + "/audit");
                await page.Locator("[data-testid=audit-table] tbody tr", new PageLocatorOptions { HasText = HomeLabInventory.Printer }).First.WaitForAsync(Shown);
                break;
            case "Settings":
                await page.GotoAsync(address + "/settings");
                await BrowserPanel.WaitUntilInteractiveAsync(page);
                break;
            case "Trust":
                await page.GotoAsync(address + "/trust");
                await page.Locator("section.ca", new PageLocatorOptions { HasText = HomeLabInventory.RootName }).WaitForAsync(Shown);
                break;
            case "Change password":
                await page.GotoAsync(address + "/account/password");
                await page.Locator("#CurrentPassword").WaitForAsync(Shown);
                break;
            case "Two-factor":
                await page.GotoAsync(address + "/account/two-factor");
                await BrowserPanel.ConfirmPasswordIfAskedAsync(page);
                await page.Locator("#Code").WaitForAsync(Shown);
                break;
            case "Self-signed wizard":
                // A CA is held here, so the wizard opens on the choice of root with that CA chosen.
                await OpenWhenInteractiveAsync(page, address + "/certificates/add/self-signed", "[data-testid=root-choice]");
                break;
            case "CSR wizard":
                await OpenWhenInteractiveAsync(page, address + "/certificates/add/csr", "[data-testid=csr-cn]");
                break;
            case "Sign CSR wizard":
                await OpenWhenInteractiveAsync(page, address + "/certificates/add/sign", "[data-testid=csr-pem]");
                break;
            case "Import wizard":
                await OpenWhenInteractiveAsync(page, address + "/certificates/import", "[data-testid=import-stepper]");
                break;
            case "Pending requests":
                await OpenWhenInteractiveAsync(page, address + "/requests", "[data-testid=requests-new]");
                break;
            case "Create CA":
                await OpenWhenInteractiveAsync(page, address + "/authorities/create", "[data-testid=ca-cn]");
                break;
            case "Export dialog":
                await OpenAsync(page, "Certificates");
                await page.ClickAsync("[data-testid=export]:not([disabled])");
                await page.Locator("[data-testid=export-save]").WaitForAsync(Shown);
                break;
            case "Apply dialog":
                // The selected NAS certificate is already served; the router's can be applied.
                await page.GotoAsync(address + "/");
                await BrowserPanel.WaitUntilInteractiveAsync(page);
                await page.Locator("[data-testid=certificate-table] tbody tr", new PageLocatorOptions { HasText = HomeLabInventory.Router }).First.ClickAsync();
                await page.ClickAsync("[data-testid=set-default]:not([disabled])");
                await page.Locator("[data-testid=apply-submit]").WaitForAsync(Shown);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(pageName), pageName, "No such page in this test.");
        }
    }

    private static async Task OpenWhenInteractiveAsync(IPage page, string url, string shown)
    {
        await page.GotoAsync(url);
        await BrowserPanel.WaitUntilInteractiveAsync(page);
        await page.Locator(shown).First.WaitForAsync(Shown);
    }
}
