using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Web.Components.Certificates;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components;

public sealed class CertificatesPageTests : PanelComponentTest
{
    private static IReadOnlyList<IElement> Rows(IRenderedComponent<CertificatesPage> page) =>
        page.FindAll("[data-testid=certificate-table] tbody tr.mud-table-row");

    private static IElement Row(IRenderedComponent<CertificatesPage> page, string text) =>
        Rows(page).Single(r => r.QuerySelector("td")!.TextContent.Contains(text, StringComparison.Ordinal));

    private static bool IsDisabled(IRenderedComponent<CertificatesPage> page, string testId) =>
        page.Find($"[data-testid={testId}]").HasAttribute("disabled");

    [Fact]
    public async Task Render_SeededInventory_ListsEveryCertificateWithItsFacts()
    {
        await SeedAsync("nas1.home.arpa", "NAS one", setAsDefault: true);

        var page = Render<CertificatesPage>();

        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        var server = Row(page, "NAS one");
        Assert.Contains("nas1.home.arpa", server.TextContent, StringComparison.Ordinal);
        Assert.Contains("DNS:nas1.home.arpa", server.TextContent, StringComparison.Ordinal);
        Assert.Contains("nas1.home.arpa Root CA", server.TextContent, StringComparison.Ordinal);
        Assert.Contains("days left", server.TextContent, StringComparison.Ordinal);
        Assert.Contains("ECDSA P-256", server.TextContent, StringComparison.Ordinal);
        Assert.Contains("Created here", server.TextContent, StringComparison.Ordinal);
        Assert.NotNull(server.QuerySelector("[data-testid=default-marker]"));
        Assert.Null(Row(page, "nas1.home.arpa Root CA").QuerySelector("[data-testid=default-marker]"));
    }

    [Fact]
    public async Task Render_StartUpCertificates_MarkedTemporaryAndOwnOnesNot()
    {
        await SeedStartUpAsync();
        await SeedAsync("nas1.home.arpa", "NAS one");

        var page = Render<CertificatesPage>();

        page.WaitForAssertion(() => Assert.Equal(4, Rows(page).Count));
        Assert.Equal("Temporary (panel start-up)", Row(page, "SynoCertPanel CA (nas1)").QuerySelector("[data-testid=temporary-marker]")!.TextContent.Trim());
        Assert.NotNull(Row(page, "Self-signed panel certificate").QuerySelector("[data-testid=temporary-marker]"));
        Assert.Null(Row(page, "NAS one").QuerySelector("[data-testid=temporary-marker]"));
        Assert.Null(Row(page, "nas1.home.arpa Root CA").QuerySelector("[data-testid=temporary-marker]"));
    }

    [Fact]
    public async Task Render_RenewedCertificate_OneCurrentRowUntilShowReplacedThenTheOldOneDimmedAndMarked()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one", setAsDefault: true);
        var renewedId = (await new Core.Inventory.RenewService(Storage, Time).RenewAsync(seeded.CertificateId, null, true, UserName)).Value.CertificateId;

        var page = Render<CertificatesPage>();

        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Assert.Empty(page.FindAll("[data-testid=replaced-marker]"));
        page.Find("input[data-testid=show-replaced], [data-testid=show-replaced] input").Change(true);
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));
        var replaced = Assert.Single(Rows(page), r => r.QuerySelector("[data-testid=replaced-marker]") is not null);
        Assert.Contains($"Replaced by certificate {renewedId}", replaced.TextContent, StringComparison.Ordinal);
        Assert.Contains("panel-replaced-row", replaced.ClassName, StringComparison.Ordinal);
        Assert.Null(replaced.QuerySelector("[data-testid=default-marker]"));
    }

    [Fact]
    public async Task Render_IssuerColumn_ShowsCommonNamesAndOffersNoSortThatWouldNotMatchThem()
    {
        await SeedAsync("nas1.home.arpa", "NAS one");

        var page = Render<CertificatesPage>();

        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        var headers = page.FindAll("th").ToDictionary(h => h.TextContent.Trim(), h => h.QuerySelector(".mud-table-sort-label") is not null);
        Assert.False(headers["Issuer"]);
        Assert.True(headers["Description"]);
        Assert.True(headers["Expires"]);
        Assert.Equal("nas1.home.arpa Root CA", Row(page, "NAS one").QuerySelector("[data-testid=issuer-name]")!.TextContent);
    }

    [Fact]
    public async Task Open_CertificateInTheAddress_ShowsItSelectedWithDetails()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/?certificate={seeded.CertificateId}");

        var page = Render<CertificatesPage>();

        page.WaitForAssertion(() => Assert.Contains("nas1.home.arpa", page.Find("[data-testid=details-subject]").TextContent, StringComparison.Ordinal));
        Assert.False(IsDisabled(page, "export"));
    }

    [Fact]
    public void Open_UnknownCertificateInTheAddress_SaysSoAndSelectsNothing()
    {
        var (_, snackbars) = RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?certificate=4242");

        var page = Render<CertificatesPage>();

        snackbars.WaitForAssertion(() => Assert.Contains("4242", snackbars.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=details-subject]"));
        Assert.True(IsDisabled(page, "export"));
    }

    [Fact]
    public async Task Search_TypedText_ListsOnlyMatchingCertificates()
    {
        await SeedAsync("alpha.home.arpa");
        await SeedAsync("beta.home.arpa");
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(4, Rows(page).Count));

        page.Find("input[data-testid=search], [data-testid=search] input").Input("beta");

        page.WaitForAssertion(() =>
        {
            Assert.Equal(2, Rows(page).Count);
            Assert.All(Rows(page), r => Assert.Contains("beta", r.TextContent, StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task Sort_DescriptionHeaderClickedTwice_OrdersAscendingThenDescending()
    {
        await SeedAsync("b.home.arpa", "bravo");
        await SeedAsync("a.home.arpa", "alpha");
        await SeedAsync("c.home.arpa", "charlie");
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(6, Rows(page).Count));
        string[] Descriptions() => Rows(page).Select(r => r.QuerySelector("td")!.TextContent.Trim()).Where(t => !t.Contains("Root CA", StringComparison.Ordinal)).ToArray();

        page.FindAll(".mud-table-sort-label").Single(l => l.TextContent.Contains("Description", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.Equal(["alpha", "bravo", "charlie"], Descriptions()));

        page.FindAll(".mud-table-sort-label").Single(l => l.TextContent.Contains("Description", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.Equal(["charlie", "bravo", "alpha"], Descriptions()));
    }

    [Fact]
    public async Task Paging_MoreRowsThanAPage_ShowsOnePageAndTheTotal()
    {
        for (var i = 0; i < 6; i++)
        {
            await SeedAsync($"host{i}.home.arpa");
        }

        var table = Render<CertificateTable>(p => p.Add(t => t.PageSize, 10));

        table.WaitForAssertion(() =>
        {
            Assert.Equal(10, table.FindAll("tbody tr.mud-table-row").Count);
            Assert.Contains("1-10 of 12", table.Markup, StringComparison.Ordinal);
        });
        table.Find("button[aria-label='Next page']").Click();
        table.WaitForAssertion(() => Assert.Equal(2, table.FindAll("tbody tr.mud-table-row").Count));
    }

    [Fact]
    public async Task Toolbar_Selection_EnablesButtonsByWhatTheCertificateAllows()
    {
        await SeedAsync("nas1.home.arpa", "NAS one", setAsDefault: true);
        await SeedAsync("nas2.home.arpa", "NAS two");
        RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(4, Rows(page).Count));

        Assert.True(IsDisabled(page, "export"));
        Assert.True(IsDisabled(page, "renew"));
        Assert.True(IsDisabled(page, "set-default"));
        Assert.True(IsDisabled(page, "delete"));
        Assert.False(IsDisabled(page, "import"));

        Row(page, "NAS two").Click();
        page.WaitForAssertion(() => Assert.False(IsDisabled(page, "set-default")));
        Assert.False(IsDisabled(page, "export"));
        Assert.False(IsDisabled(page, "renew"));
        Assert.False(IsDisabled(page, "delete"));

        Row(page, "NAS one").Click();
        page.WaitForAssertion(() => Assert.True(IsDisabled(page, "set-default")));
        Assert.False(IsDisabled(page, "delete"));

        Row(page, "nas2.home.arpa Root CA").Click();
        page.WaitForAssertion(() => Assert.True(IsDisabled(page, "renew")));
        Assert.True(IsDisabled(page, "set-default"));
    }

    [Fact]
    public async Task Toolbar_DisabledButtons_SayWhy()
    {
        await SeedAsync("nas1.home.arpa", "NAS one", setAsDefault: true);
        RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));

        Assert.Equal(ToolbarRules.NothingSelected, page.Find("[data-testid=export-reason]").GetAttribute("data-reason"));
        Assert.Empty(page.FindAll("[data-testid=import-reason]"));

        Row(page, "NAS one").Click();
        page.WaitForAssertion(() => Assert.Equal("The panel already serves this certificate.",
            page.Find("[data-testid=set-default-reason]").GetAttribute("data-reason")));
        Assert.Empty(page.FindAll("[data-testid=export-reason]"));

        Row(page, "nas1.home.arpa Root CA").Click();
        page.WaitForAssertion(() => Assert.Contains("A CA is not renewed here", page.Find("[data-testid=renew-reason]").GetAttribute("aria-label"),
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_HidesTheSelectedRow_SelectionAndDetailsGo()
    {
        await SeedAsync("alpha.home.arpa", "Alpha");
        await SeedAsync("beta.home.arpa", "Beta");
        RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(4, Rows(page).Count));
        Row(page, "Alpha").Click();
        page.WaitForAssertion(() => Assert.False(IsDisabled(page, "delete")));
        Assert.NotEmpty(page.FindAll("[data-testid=details]"));

        page.Find("input[data-testid=search], [data-testid=search] input").Input("beta");

        page.WaitForAssertion(() => Assert.True(IsDisabled(page, "delete")));
        Assert.True(IsDisabled(page, "export"));
        Assert.Empty(page.FindAll("[data-testid=details]"));
    }

    [Fact]
    public async Task Select_RootCa_NoWarningAboutMissingNames()
    {
        await SeedAsync("nas1.home.arpa", "NAS one");
        RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));

        Row(page, "nas1.home.arpa Root CA").Click();

        page.WaitForAssertion(() => Assert.Equal("None (a CA needs none)", page.Find("[data-testid=details-no-names]").TextContent.Trim()));
        Assert.DoesNotContain("browsers will reject", page.Find("[data-testid=details]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_KeepsTheSelectedRow_SelectionStays()
    {
        await SeedAsync("alpha.home.arpa", "Alpha");
        await SeedAsync("beta.home.arpa", "Beta");
        RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(4, Rows(page).Count));
        Row(page, "Alpha").Click();
        page.WaitForAssertion(() => Assert.False(IsDisabled(page, "delete")));

        page.Find("input[data-testid=search], [data-testid=search] input").Input("alpha");

        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Assert.False(IsDisabled(page, "delete"));
        Assert.NotEmpty(page.FindAll("[data-testid=details]"));
    }

    [Fact]
    public async Task Delete_DefaultCertificate_SaysWhyBeforeAnyConfirmation()
    {
        await SeedAsync("nas1.home.arpa", "NAS one", setAsDefault: true);
        var (dialogs, _) = RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Row(page, "NAS one").Click();
        page.WaitForAssertion(() => Assert.False(IsDisabled(page, "delete")));

        page.Find("[data-testid=delete]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("make another one the default first", dialogs.Find("[data-testid=delete-refusal]").TextContent,
            StringComparison.Ordinal));
        Assert.Empty(dialogs.FindAll("[data-testid=delete-confirm]"));
        dialogs.Find("[data-testid=delete-close]").Click();
        Assert.Equal(2, Rows(page).Count);
    }

    [Fact]
    public async Task Delete_Confirmed_RemovesTheRowAndSaidTheKeyGoesToo()
    {
        await SeedAsync("nas1.home.arpa", "NAS one");
        var (dialogs, snackbars) = RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Row(page, "NAS one").Click();
        page.WaitForAssertion(() => Assert.False(IsDisabled(page, "delete")));

        page.Find("[data-testid=delete]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("private key is deleted too", dialogs.Find("[data-testid=delete-consequences]").TextContent,
            StringComparison.Ordinal));
        dialogs.Find("[data-testid=delete-confirm]").Click();

        page.WaitForAssertion(() => Assert.Single(Rows(page)));
        snackbars.WaitForAssertion(() => Assert.Contains("was deleted", snackbars.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_CaWithLiveCertificates_SaysSoAndDeletesAnywayWhenAsked()
    {
        await SeedAsync("nas1.home.arpa", "NAS one");
        var (dialogs, snackbars) = RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Row(page, "nas1.home.arpa Root CA").Click();
        page.WaitForAssertion(() => Assert.False(IsDisabled(page, "delete")));

        page.Find("[data-testid=delete]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("1 unexpired certificate(s)", dialogs.Find("[data-testid=delete-consequences]").TextContent,
            StringComparison.Ordinal));
        Assert.Equal("Delete the CA anyway", dialogs.Find("[data-testid=delete-confirm]").TextContent.Trim());
        dialogs.Find("[data-testid=delete-confirm]").Click();

        page.WaitForAssertion(() => Assert.Single(Rows(page)));
        snackbars.WaitForAssertion(() => Assert.Contains("was deleted", snackbars.Markup, StringComparison.Ordinal));
        await using var db = Storage.CreateContext();
        Assert.Equal(0, await db.Authorities.CountAsync());
    }

    [Fact]
    public async Task Select_Row_ShowsDetailsWithFingerprintsLintAndPem()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));

        Row(page, "NAS one").Click();

        page.WaitForAssertion(() => Assert.Equal(seeded.Server.Certificate.Sha256Fingerprint, page.Find("[data-testid=sha256]").TextContent));
        Assert.Equal("CN=nas1.home.arpa", page.Find("[data-testid=details-subject]").TextContent);
        Assert.Contains("nas1.home.arpa Root CA", page.Find("[data-testid=chain]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Chrome", page.Find("[data-testid=lint]").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", page.Find("[data-testid=pem]").TextContent, StringComparison.Ordinal);

        page.Find("[data-testid=copy-pem]").Click();
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText"
            && ((string)i.Arguments[0]!).StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_HostileCertificateText_IsShownLiterallyAndCreatesNoElement()
    {
        const string description = "<script>alert(1)</script>";
        const string rootName = "<img src=x onerror=alert(2)><b>Evil CA</b>";
        var seeded = await SeedAsync("nas1.home.arpa", description, rootName: rootName);
        var issuer = seeded.Server.Certificate.IssuerText;
        RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));

        Row(page, description).Click();

        page.WaitForAssertion(() => page.Find("[data-testid=details]"));
        Assert.Empty(page.FindAll("script"));
        Assert.Empty(page.FindAll("img"));
        Assert.Empty(page.FindAll("b"));
        Assert.Contains(description, Row(page, description).TextContent, StringComparison.Ordinal);
        Assert.Contains("<img", issuer, StringComparison.Ordinal);
        // The list shows the issuer's common name, the whole name in its tooltip.
        var issuerCell = Row(page, description).QuerySelector("[data-testid=issuer-name]")!;
        Assert.Equal(rootName, issuerCell.TextContent);
        Assert.Equal(issuer, issuerCell.GetAttribute("title"));
        Assert.Contains(issuer, page.Find("[data-testid=chain]").TextContent, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page.Markup, StringComparison.Ordinal);
    }
}
