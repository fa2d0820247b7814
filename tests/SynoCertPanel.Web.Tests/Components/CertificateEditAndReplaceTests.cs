using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Components.Pages;
using SynoCertPanel.Web.Tests.Components.Wizards;

namespace SynoCertPanel.Web.Tests.Components;

/// <summary>The certificates page's Edit dialog and "Replace an existing certificate", down to what is stored.</summary>
public sealed class CertificateEditAndReplaceTests : PanelComponentTest
{
    private static IReadOnlyList<IElement> Rows(IRenderedComponent<CertificatesPage> page) =>
        page.FindAll("[data-testid=certificate-table] tbody tr.mud-table-row");

    private static IElement Row(IRenderedComponent<CertificatesPage> page, string text) =>
        Rows(page).Single(r => r.QuerySelector("td")!.TextContent.Contains(text, StringComparison.Ordinal));

    private (IRenderedComponent<MudBlazor.MudDialogProvider> Dialogs, IRenderedComponent<MudBlazor.MudSnackbarProvider> Snackbars,
        IRenderedComponent<CertificatesPage> Page) OpenWithSelected(string description, int rows)
    {
        var (dialogs, snackbars) = RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(rows, Rows(page).Count));
        Row(page, description).Click();
        page.WaitForAssertion(() => Assert.False(page.IsDisabled("edit")));
        page.Click("edit");
        dialogs.WaitForAssertion(() => Assert.True(dialogs.Has("edit-uses")));
        return (dialogs, snackbars, page);
    }

    private async Task<string> DescriptionAsync(int id) => (await new InventoryService(Storage, Time).GetAsync(id)).Value.Summary.Description;

    [Fact]
    public async Task Edit_NothingSelected_DisabledAndSaysWhy()
    {
        await SeedAsync("nas1.home.arpa", "NAS one");
        RenderProviders();

        var page = Render<CertificatesPage>();

        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Assert.True(page.IsDisabled("edit"));
        Assert.Equal("Select a certificate in the list first.", page.ById("edit-reason").GetAttribute("data-reason"));
    }

    [Fact]
    public async Task Edit_NewDescription_SavedListedAndAudited()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        var (dialogs, snackbars, page) = OpenWithSelected("NAS one", 2);

        dialogs.Find("[data-testid=edit-description] input, input[data-testid=edit-description]").Input("NAS one (living room)");
        dialogs.Click("edit-save");

        page.WaitForAssertion(() => Assert.Contains("NAS one (living room)", Row(page, "NAS one").TextContent, StringComparison.Ordinal));
        snackbars.WaitForAssertion(() => Assert.Contains("The description was saved.", snackbars.Markup, StringComparison.Ordinal));
        Assert.Equal("NAS one (living room)", await DescriptionAsync(seeded.CertificateId));
        await using var db = Storage.CreateContext();
        var audit = await db.AuditEvents.OrderBy(a => a.Id).LastAsync();
        Assert.Equal((AuditActions.Describe, AuditOutcome.Succeeded, UserName), (audit.Action, audit.Outcome, audit.Actor));
    }

    [Theory]
    [InlineData("", "The description is empty")]
    [InlineData("   ", "The description is empty")]
    [InlineData("NAS\tone", "control character")]
    [InlineData("NAS\u0007one", "control character")]
    public async Task Edit_BadDescription_RefusedInTheDialogWhichStaysOpen(string text, string reason)
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        var (dialogs, _, _) = OpenWithSelected("NAS one", 2);

        dialogs.Find("[data-testid=edit-description] input, input[data-testid=edit-description]").Input(text);
        dialogs.Click("edit-save");

        dialogs.WaitForAssertion(() => Assert.Contains(reason, dialogs.ById("edit-error").TextContent, StringComparison.Ordinal));
        Assert.True(dialogs.Has("edit-dialog"));
        Assert.Equal("NAS one", await DescriptionAsync(seeded.CertificateId));
    }

    [Fact]
    public async Task Edit_OversizedDescription_FieldStopsAtTheLimitAndTheServiceRefusesMore()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        var (dialogs, _, _) = OpenWithSelected("NAS one", 2);

        Assert.Equal(SelfSignedService.MaxDescriptionLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
            dialogs.Find("[data-testid=edit-description] input, input[data-testid=edit-description]").GetAttribute("maxlength"));
        // A client that ignores maxlength still meets the service's rule.
        var refused = await new InventoryService(Storage, Time).DescribeAsync(seeded.CertificateId, new string('x', 201), UserName);
        Assert.Contains("at most 200 are allowed", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_DefaultCertificate_SaysThePanelServesIt()
    {
        await SeedAsync("nas1.home.arpa", "NAS one", setAsDefault: true);

        var (dialogs, _, _) = OpenWithSelected("NAS one", 2);

        Assert.Contains("The panel's HTTPS listener", dialogs.ById("edit-use-listener").TextContent, StringComparison.Ordinal);
        Assert.False(dialogs.Has("edit-serve"));
    }

    [Fact]
    public async Task Edit_RootCa_ListsItsAuthorityAndOffersNoDefault()
    {
        await SeedAsync("nas1.home.arpa", "NAS one");

        var (dialogs, _, _) = OpenWithSelected("nas1.home.arpa Root CA", 2);

        Assert.Contains("nas1.home.arpa Root CA", dialogs.ById("edit-use-authority").TextContent, StringComparison.Ordinal);
        Assert.Contains("1 certificate(s) here", dialogs.ById("edit-use-authority").TextContent, StringComparison.Ordinal);
        Assert.Contains("A CA certificate cannot serve HTTPS", dialogs.ById("edit-default-reason").TextContent, StringComparison.Ordinal);
        Assert.False(dialogs.Has("edit-serve"));
    }

    [Fact]
    public async Task Edit_CertificateNothingUses_SaysSo()
    {
        await SeedAsync("nas1.home.arpa", "NAS one", setAsDefault: true);
        await SeedAsync("nas2.home.arpa", "NAS two");

        var (dialogs, _, _) = OpenWithSelected("NAS two", 4);

        Assert.Contains("Nothing here", dialogs.ById("edit-use-none").TextContent, StringComparison.Ordinal);
        Assert.False(dialogs.Has("edit-use-listener"));
    }

    [Fact]
    public async Task Edit_Cancel_ChangesNothing()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        var (dialogs, _, _) = OpenWithSelected("NAS one", 2);

        dialogs.Find("[data-testid=edit-description] input, input[data-testid=edit-description]").Input("Something else");
        dialogs.Click("edit-cancel");

        dialogs.WaitForAssertion(() => Assert.False(dialogs.Has("edit-dialog")));
        Assert.Equal("NAS one", await DescriptionAsync(seeded.CertificateId));
    }

    [Fact]
    public async Task Replace_FromTheAddMenu_PicksTheSelectedCertificateAndOpensTheChosenWizard()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        await SeedAsync("nas2.home.arpa", "NAS two");
        var (dialogs, _) = RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(4, Rows(page).Count));
        Row(page, "NAS one").Click();
        page.WaitForAssertion(() => Assert.False(page.IsDisabled("edit")));

        // The Add menu's item, as its click runs it (the menu's popover renders outside the page); the dialog's answer is awaited inside.
        var toolbar = page.FindComponent<SynoCertPanel.Web.Components.Certificates.CertificateToolbar>();
        var replacing = page.InvokeAsync(() => toolbar.Instance.OnReplace.InvokeAsync());
        dialogs.WaitForAssertion(() => Assert.True(dialogs.Has("replace-old")));
        Assert.DoesNotContain("Root CA", dialogs.ById("replace-dialog").TextContent, StringComparison.Ordinal);
        dialogs.Find("input[data-testid=replace-import], [data-testid=replace-import] input").Click();
        dialogs.Click("replace-next");

        var navigation = Services.GetRequiredService<NavigationManager>();
        await replacing;
        page.WaitForAssertion(() => Assert.EndsWith($"/certificates/import?replaces={seeded.CertificateId}", navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replace_SelfSignedWizard_NewCertificateTakesTheDefaultAndTheOldOneIsMarked()
    {
        var old = await SeedAsync("nas1.home.arpa", "NAS one", setAsDefault: true);
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/certificates/add/self-signed?replaces={old.CertificateId}");
        var wizard = Render<SelfSignedWizardPage>();
        wizard.WaitForAssertion(() => Assert.Contains("NAS one", wizard.ById("replacing-notice").TextContent, StringComparison.Ordinal));

        wizard.Next("server-san-input");
        Assert.Equal(["nas1.home.arpa"], wizard.Chips("server-san"));
        wizard.Next("review-certificate");
        wizard.Next("result-created", "wizard-create");

        wizard.WaitForAssertion(() => Assert.Contains("NAS one", wizard.ById("replaced-result").TextContent, StringComparison.Ordinal));
        await using var db = Storage.CreateContext();
        var replacement = await db.Certificates.Where(c => !c.IsCertificateAuthority).OrderBy(c => c.Id).LastAsync();
        Assert.Equal(replacement.Id, (await db.Certificates.SingleAsync(c => c.Id == old.CertificateId)).ReplacedById);
        Assert.Equal(replacement.Id, await DefaultCertificate.GetAsync(db));
        Assert.Equal("NAS one", replacement.Description);
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.Replace && a.Outcome == AuditOutcome.Succeeded));
    }
}
