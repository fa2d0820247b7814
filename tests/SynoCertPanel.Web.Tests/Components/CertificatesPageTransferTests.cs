using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components;

/// <summary>The certificates page's ways into the export dialog and the import wizard.</summary>
public sealed class CertificatesPageTransferTests : PanelComponentTest
{
    [Fact]
    public async Task ExportButton_SelectedCertificate_OpensTheExportDialogForIt()
    {
        await SeedAsync("nas1.home.arpa", "NAS one");
        var (dialogs, _) = RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=certificate-table] tbody tr.mud-table-row").Count));

        page.FindAll("[data-testid=certificate-table] tbody tr.mud-table-row").Single(r => r.TextContent.Contains("NAS one", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=export]").HasAttribute("disabled")));
        page.Find("[data-testid=export]").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("CN=nas1.home.arpa", dialogs.Find("[data-testid=export-subject]").TextContent));
        Assert.Contains("Export \"NAS one\"", dialogs.Find(".mud-dialog-title").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportButtonAndAddMenuEntry_OpenTheImportWizard()
    {
        var popovers = Render<MudBlazor.MudPopoverProvider>();
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = Render<CertificatesPage>();

        page.Find("[data-testid=import]").Click();
        page.WaitForAssertion(() => Assert.EndsWith(ImportPage.Route, navigation.Uri, StringComparison.Ordinal));

        navigation.NavigateTo("/");
        page.Find("[data-testid=add-menu] button").Click();
        popovers.WaitForElement("[data-testid=add-import]").Click();
        page.WaitForAssertion(() => Assert.EndsWith(ImportPage.Route, navigation.Uri, StringComparison.Ordinal));
    }
}
