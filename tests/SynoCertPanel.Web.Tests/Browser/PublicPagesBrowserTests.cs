using Microsoft.Playwright;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The pages served without a circuit (sign-in, setup, /trust, not found) as Chromium shows them: in the panel's
/// frame with MudBlazor's stylesheet and the panel's palette, loaded under their own Content-Security-Policy.
/// </summary>
public sealed class PublicPagesBrowserTests(HomeLabPanel lab) : IClassFixture<HomeLabPanel>
{
    private const string Iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

    /// <summary>Records every CSP violation from the first byte of each page.</summary>
    private const string RecordViolations =
        "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));";

    private static readonly string[] Stylesheets = ["/_content/MudBlazor/MudBlazor.min.css", "/panel-theme.css", "/app.css", "/public-pages.css"];

    /// <summary>The panel's primary colour in each theme (PanelPalette): the app bar wears it.</summary>
    private static readonly Dictionary<PanelTheme, string> AppBarColour = new()
    {
        [PanelTheme.Light] = "rgb(89, 74, 226)",
        [PanelTheme.Dark] = "rgb(39, 39, 47)",
    };

    private static readonly LocatorWaitForOptions Shown = new() { Timeout = 15_000 };

    public static TheoryData<string, PanelTheme> AnonymousPages()
    {
        var data = new TheoryData<string, PanelTheme>();
        foreach (var theme in Enum.GetValues<PanelTheme>())
        {
            foreach (var path in new[] { "/login", "/trust", "/no-such-page" })
            {
                data.Add(path, theme);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AnonymousPages))]
    public async Task PublicPage_Anonymous_LoadsThePanelsStylesheetsWithoutCspViolations(string path, PanelTheme theme)
    {
        await using var context = await AnonymousContextAsync(theme);
        var page = await context.NewPageAsync();
        var errors = await BrowserPanel.WatchForErrorsAsync(page);
        await page.AddInitScriptAsync(RecordViolations);

        var response = await page.GotoAsync(lab.Panel.Address + path);
        await PanelThemes.WaitForBackgroundAsync(page, dark: theme == PanelTheme.Dark);

        var loaded = await page.EvaluateAsync<string[]>(
            "() => Array.from(document.styleSheets).filter(s => s.href && s.cssRules.length > 0).map(s => new URL(s.href).pathname)");
        Assert.Equal(Stylesheets, loaded);
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__violations"));
        Assert.DoesNotContain(errors, e => !IsTheDocumentsOwnStatus(e, response!.Status));
        Assert.Equal(AppBarColour[theme], await page.Locator("header.mud-appbar").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Equal("SynoCertPanel", (await page.Locator("header.mud-appbar .mud-typography-h6").InnerTextAsync()).Trim());
        Assert.Equal(0, await page.Locator("script").CountAsync());
    }

    [Fact]
    public async Task UnknownPath_AnonymousAndSignedIn_404PageWithTheWayBack_ApiGetsABare404()
    {
        await using var anonymous = await AnonymousContextAsync(PanelTheme.Light);
        var anonymousPage = await anonymous.NewPageAsync();
        await using var signedIn = await lab.NewContextAsync(PanelTheme.Light);
        var signedInPage = signedIn.Pages.Single();

        var anonymousResponse = await anonymousPage.GotoAsync(lab.Panel.Address + "/certificates/no-such-thing");
        var signedInResponse = await signedInPage.GotoAsync(lab.Panel.Address + "/no-such-page?x=1");
        var api = await signedInPage.APIRequest.GetAsync(lab.Panel.Address + "/no-such-api",
            new APIRequestContextOptions { Headers = new Dictionary<string, string> { ["Accept"] = "application/json" } });

        Assert.Equal(404, anonymousResponse!.Status);
        Assert.Equal("Page not found", await anonymousPage.Locator("h1").InnerTextAsync());
        Assert.Contains("/certificates/no-such-thing", await anonymousPage.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Sign in", await anonymousPage.Locator("[data-testid=not-found-back]").InnerTextAsync());
        Assert.Equal(lab.Panel.Address + "/login", await anonymousPage.Locator("[data-testid=not-found-back]").EvaluateAsync<string>("a => a.href"));
        Assert.Equal(404, signedInResponse!.Status);
        Assert.Equal("Back to the panel", await signedInPage.Locator("[data-testid=not-found-back]").InnerTextAsync());
        Assert.DoesNotContain("Exception", await signedInPage.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(404, api.Status);
        Assert.Empty(await api.TextAsync());
        await AxeCheck.AssertNoSeriousViolationsAsync(signedInPage, "Not found (signed in)");
    }

    [Fact]
    public async Task Trust_BackLink_SignInWhenAnonymous_BackToThePanelWhenSignedIn()
    {
        await using var anonymous = await AnonymousContextAsync(PanelTheme.Light);
        var anonymousPage = await anonymous.NewPageAsync();
        await using var signedIn = await lab.NewContextAsync(PanelTheme.Light);
        var signedInPage = signedIn.Pages.Single();

        await anonymousPage.GotoAsync(lab.Panel.Address + "/trust");
        await signedInPage.GotoAsync(lab.Panel.Address + "/trust");

        Assert.Equal("Sign in", (await anonymousPage.Locator("[data-testid=trust-back]").InnerTextAsync()).Trim(), ignoreCase: true);
        Assert.Equal("Back to the panel", (await signedInPage.Locator("[data-testid=trust-back]").InnerTextAsync()).Trim(), ignoreCase: true);
        await signedInPage.ClickAsync("[data-testid=trust-back]");
        await BrowserPanel.WaitUntilInteractiveAsync(signedInPage);
        Assert.Equal(lab.Panel.Address + "/", signedInPage.Url);
    }

    [Fact]
    public async Task Trust_OnAnIphone_IosStepsFirstWithinTwoScreens_OthersFolded()
    {
        await using var context = await lab.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            UserAgent = Iphone,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync(lab.Panel.Address + "/trust");

        var sections = await page.Locator("[id^=steps-]").EvaluateAllAsync<string[]>("all => all.map(e => e.id)");
        Assert.Equal("steps-ios", sections[0]);
        Assert.Contains("(this device)", await page.Locator("#steps-ios h3").InnerTextAsync(), StringComparison.Ordinal);
        var iosTop = await page.Locator("#steps-ios").EvaluateAsync<double>("e => e.getBoundingClientRect().top + window.scrollY");
        Assert.True(iosTop < 2 * 844, $"the iOS steps start {iosTop} px down, more than two screens");
        Assert.True(await page.Locator("#steps-ios").IsVisibleAsync());
        foreach (var other in sections.Skip(1))
        {
            Assert.Equal("DETAILS", await page.Locator("#" + other).EvaluateAsync<string>("e => e.tagName"));
            Assert.False(await page.Locator("#" + other).EvaluateAsync<bool>("e => e.open"), $"{other} is folded");
        }

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "/trust scrolls sideways on a phone");
    }

    /// <summary>
    /// On a phone every command on /trust (the Linux steps, the one-line install, Terminal and certutil lines) keeps
    /// its words whole: "update-ca-certificates" broken after a hyphen reads as two commands.
    /// </summary>
    [Theory]
    [InlineData(390)]
    [InlineData(320)]
    public async Task Trust_OnAPhone_CommandsBreakOnlyBetweenWords(int width)
    {
        await using var context = await lab.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            UserAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            ViewportSize = new ViewportSize { Width = width, Height = 844 },
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync(lab.Panel.Address + "/trust");
        await page.Locator("#steps-linux").WaitForAsync(Shown);
        Assert.True(await page.Locator("details").EvaluateAllAsync<int>("all => { all.forEach(d => d.open = true); return all.length; }") > 0);

        var commands = await page.Locator(".panel-public code").AllInnerTextsAsync();
        Assert.Contains(commands, c => c.Contains("update-ca-certificates", StringComparison.Ordinal) && c.Contains("openssl x509", StringComparison.Ordinal));
        Assert.Contains("sudo update-ca-certificates", commands);
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, ".panel-public"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "/trust scrolls sideways on a phone");
    }

    [Fact]
    public async Task Trust_OnADesktop_QrCodeBesideTheCaList()
    {
        await using var context = await AnonymousContextAsync(PanelTheme.Light);
        var page = await context.NewPageAsync();

        await page.GotoAsync(lab.Panel.Address + "/trust");

        var qr = await page.Locator(".panel-trust-qr svg").BoundingBoxAsync();
        var ca = await page.Locator("section.ca").First.BoundingBoxAsync();
        Assert.NotNull(qr);
        Assert.NotNull(ca);
        Assert.True(qr.Y < 800, $"the QR code starts {qr.Y} px down, below the first screen");
        Assert.True(qr.X > ca.X + ca.Width, "the QR code sits to the right of the CA list");
    }

    [Fact]
    public async Task SignInAndSetup_WhileSetupIsPending_LinkToSetupEveryProblemAtOnce_ThenNoLink()
    {
        await using var panel = await BrowserPanel.StartAsync();
        await using var context = await AnonymousContextAsync(PanelTheme.Light);
        var page = await context.NewPageAsync();
        var errors = await BrowserPanel.WatchForErrorsAsync(page);

        await page.GotoAsync(panel.Address + "/login");
        await page.ClickAsync("[data-testid=setup-link]");
        await page.Locator("#SetupToken").WaitForAsync(Shown);
        Assert.Equal(panel.Address + "/setup", page.Url);
        await page.FillAsync("#SetupToken", "not the token");
        await page.FillAsync("#UserName", "bad name!");
        await page.FillAsync("#Password", "short");
        await page.FillAsync("#ConfirmPassword", "other");
        await page.ClickAsync("button[type=submit]");
        await page.Locator("[data-testid=setup-problems]").WaitForAsync(Shown);

        Assert.Equal(4, await page.Locator("[data-testid=setup-problems] li").CountAsync());
        foreach (var field in new[] { "SetupToken", "UserName", "Password", "ConfirmPassword" })
        {
            var input = page.Locator("#" + field);
            var message = page.Locator($"#{field}-error");
            Assert.Equal("true", await input.GetAttributeAsync("aria-invalid"));
            Assert.True(await message.IsVisibleAsync(), $"{field} has its message");
            var inputBox = (await input.BoundingBoxAsync())!;
            var messageBox = (await message.BoundingBoxAsync())!;
            Assert.InRange(messageBox.Y - (inputBox.Y + inputBox.Height), 0, 12);
        }

        await AxeCheck.AssertNoSeriousViolationsAsync(page, "Setup with every field wrong");
        Assert.NotNull(panel.SetupToken);

        await panel.CreateAdminAsync(page);
        await using var later = await AnonymousContextAsync(PanelTheme.Light);
        var laterPage = await later.NewPageAsync();
        await laterPage.GotoAsync(panel.Address + "/login");
        await laterPage.Locator("#UserName").WaitForAsync(Shown);

        Assert.Equal(0, await laterPage.Locator("[data-testid=setup-link]").CountAsync());
        Assert.DoesNotContain(errors, e => !IsTheDocumentsOwnStatus(e, 400));
    }

    /// <summary>
    /// Chromium logs a page answered with 400 or 404 as a failed load; that status is what the test expects. A
    /// stylesheet that failed is caught by the list of loaded stylesheets instead.
    /// </summary>
    private static bool IsTheDocumentsOwnStatus(string error, int status) =>
        status >= 400 && error.StartsWith($"Failed to load resource: the server responded with a status of {status}", StringComparison.Ordinal);

    private Task<IBrowserContext> AnonymousContextAsync(PanelTheme theme) => lab.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        IgnoreHTTPSErrors = true,
        ColorScheme = PanelThemes.ColorScheme(theme),
    });
}
