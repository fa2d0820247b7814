using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components.Wizards;

/// <summary>How the Certificates page reaches the wizards: the Add menu, the Renew button and the pending requests link.</summary>
public sealed class WizardEntryTests : PanelComponentTest
{
    [Fact]
    public void AddMenu_Opened_LinksToTheSelfSignedAndCsrWizards()
    {
        var popovers = Render<MudPopoverProvider>();
        var page = Render<CertificatesPage>();

        page.Find("[data-testid=add-menu] button").Click();

        popovers.WaitForAssertion(() => Assert.True(popovers.Has("add-self-signed")));
        Assert.Equal("/certificates/add/self-signed", popovers.ById("add-self-signed").GetAttribute("href"));
        Assert.Equal("/certificates/add/csr", popovers.ById("add-csr").GetAttribute("href"));
        Assert.Equal("/requests", page.ById("pending-requests-link").GetAttribute("href"));
    }

    [Fact]
    public async Task RenewButton_SelectedCertificate_OpensItsRenewPage()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=certificate-table] tbody tr.mud-table-row").Count));
        page.FindAll("[data-testid=certificate-table] tbody tr.mud-table-row").Single(r => r.TextContent.Contains("NAS one", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.False(page.IsDisabled("renew")));

        page.Click("renew");

        var navigation = Services.GetRequiredService<NavigationManager>();
        Assert.Equal($"http://localhost/certificates/{seeded.CertificateId}/renew", navigation.Uri);
    }
}
