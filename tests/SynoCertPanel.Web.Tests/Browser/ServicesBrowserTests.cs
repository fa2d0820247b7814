using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The Services page in Chromium at 1280 px and 390 px: a watch-only box shows why it cannot be changed; a certificate is
/// chosen for the panel's own listener and applied through the apply dialog, after which the listener serves it and the row
/// says so. Axe clean, nothing wider than the screen, no word broken, pictures taken (kept in SYNOCERT_REVIEW_SCREENSHOTS_DIR
/// when set).
/// </summary>
public sealed class ServicesBrowserTests(HomeLabPanel lab) : IClassFixture<HomeLabPanel>, IDisposable
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
    public async Task ChooseAndApplyToListener_TheListenerServesIt_AndAWatchOnlyBoxSaysWhyNot(int width, int height)
    {
        var description = $"Served from Services {width}";
        var certificate = await CreateCertificateAsync(description);
        var printer = await AddWatchOnlyBoxAsync($"printer-{width}");
        await using var context = await lab.NewContextAsync(PanelTheme.Light, width, height);
        var page = context.Pages.Single();
        var problems = await BrowserPanel.WatchForErrorsAsync(page);

        await lab.Panel.OpenAsync(page, "/services");
        var refusal = page.Locator($"[data-testid=service-refusal-box-{printer.Id}]");
        await refusal.WaitForAsync(Shown);
        Assert.StartsWith($"printer-{width} is watched only", (await refusal.InnerTextAsync()).Trim(), StringComparison.Ordinal);
        Assert.Equal("Choose a certificate first.", await page.GetAttributeAsync("[data-testid=service-apply-listener-reason]", "data-reason"));
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Services page ({width} px)");
        await SaveAsync(page, $"services-{width}.png");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=service-table] tbody"));

        await page.Locator("[data-testid=service-choice-listener]").Locator("xpath=ancestor-or-self::div[contains(@class,'mud-select')][1]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextString = description }).ClickAsync();
        await page.Locator("[data-testid=service-apply-listener]:not([disabled])").ClickAsync();
        await page.Locator("[data-testid=apply-host-covered]").WaitForAsync(Shown);
        await page.Locator("[data-testid=apply-submit]").ClickAsync();
        var result = page.Locator("[data-testid=apply-result]");
        await result.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        Assert.Contains("Still connected, new certificate served", await result.InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("[data-testid=apply-close]").ClickAsync();

        var uses = page.Locator("[data-testid=service-uses-listener]");
        await Assertions.Expect(uses).ToHaveAttributeAsync("data-certificate", certificate.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(description, (await uses.Locator("[data-testid=service-uses-description]").InnerTextAsync()).Trim());
        Assert.Equal(certificate, lab.Panel.Services.GetRequiredService<CertificateHolder>().Current.CertificateId);
        await AssertFitsAsync(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, $"Services page after Apply ({width} px)");
        await SaveAsync(page, $"services-applied-{width}.png");
        Assert.Empty(await ScreenshotTests.BrokenWordsAsync(page, "[data-testid=service-table] tbody"));
        Assert.Empty(problems);
    }

    private async Task<int> CreateCertificateAsync(string description)
    {
        var storage = lab.Panel.Services.GetRequiredService<PanelStorage>();
        var created = await new SelfSignedService(storage, TimeProvider.System).CreateAsync(new SelfSignedRequest
        {
            Root = new RootCaOptions { Subject = DistinguishedName.Create($"{description} Root").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
            Server = new LeafOptions
            {
                Subject = DistinguishedName.Create("localhost").Value,
                SubjectAlternativeNames = SanParser.ParseAll(["localhost", "127.0.0.1"]).Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            },
            Description = description,
            SetAsDefault = false,
        }, "test");
        Assert.True(created.IsSuccess, created.Error);
        return created.Value.CertificateId;
    }

    private async Task<BoxSummary> AddWatchOnlyBoxAsync(string name)
    {
        var storage = lab.Panel.Services.GetRequiredService<PanelStorage>();
        var added = await new BoxService(storage, BoxDeliveries.Standard(TimeProvider.System), TimeProvider.System)
            .AddAsync(new BoxDraft { Name = name, Addresses = [$"{name}.home.arpa"] }, "test");
        Assert.True(added.IsSuccess, added.Error);
        return added.Value;
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
            FullPage = true,
        });
        Assert.True(new FileInfo(Path.Combine(Folder, name)).Length > 0);
    }
}
