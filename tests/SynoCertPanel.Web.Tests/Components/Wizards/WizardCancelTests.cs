using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components.Wizards;

/// <summary>Every wizard has Cancel, back to where it was opened from, and nothing is stored before its last step.</summary>
public sealed class WizardCancelTests : PanelComponentTest
{
    private void OpenAt(string address)
    {
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("?back=/requests", "/requests")]
    [InlineData("?back=/authorities", "/authorities")]
    [InlineData("?back=https://evil.example/", "/")]
    [InlineData("?back=//evil.example", "/")]
    [InlineData("?back=javascript:alert(1)", "/")]
    public void SelfSigned_Cancel_ReturnsToTheOpeningPageOnlyIfItIsThePanels(string query, string expected)
    {
        OpenAt("/certificates/add/self-signed" + query);

        var page = Render<SelfSignedWizardPage>();

        Assert.Equal(expected, page.ById("wizard-cancel").GetAttribute("href"));
    }

    [Fact]
    public async Task SelfSigned_CancelOnTheReviewStep_NothingWasStored()
    {
        OpenAt("/certificates/add/self-signed");
        var page = Render<SelfSignedWizardPage>();
        page.Type("root-cn", "Home Lab Root CA");
        page.Click("root-key-p256");
        page.Next("server-san-input");
        page.AddName("server-san", "nas1.home.arpa");
        page.Click("server-key-p256");
        page.Next("review-certificate");

        Assert.Equal("/", page.ById("wizard-cancel").GetAttribute("href"));
        Assert.False(page.IsDisabled("wizard-cancel"));
        await using var db = Storage.CreateContext();
        Assert.Equal(0, await db.Certificates.CountAsync());
        Assert.Equal(0, await db.PrivateKeys.CountAsync());
    }

    [Fact]
    public void Csr_OpenedFromPendingRequests_CancelReturnsThere()
    {
        OpenAt("/certificates/add/csr?back=/requests");

        var page = Render<CsrWizardPage>();

        Assert.Equal("/requests", page.ById("wizard-cancel").GetAttribute("href"));
    }

    [Fact]
    public async Task SignCsr_SameFrameAndButtonRowAsTheOtherWizards()
    {
        await SeedAsync("nas1.home.arpa");
        OpenAt("/certificates/add/sign");

        var page = Render<SignRequestWizardPage>();

        page.WaitForAssertion(() => Assert.True(page.Has("wizard-cancel")));
        Assert.Equal("/", page.ById("wizard-cancel").GetAttribute("href"));
        // One outlined paper around the stepper, and Cancel and Next in the one action row WizardActions draws.
        Assert.NotNull(page.ById("sign-wizard").Closest(".mud-paper-outlined"));
        Assert.Same(page.ById("wizard-cancel").ParentElement, page.ById("wizard-next").ParentElement);
        Assert.Equal("Give the request first: choose its file or paste it and read it.", page.ById("wizard-problem").TextContent.Trim());
    }

    [Fact]
    public async Task Renew_Cancel_BackToTheCertificatesAndNothingIssued()
    {
        var seeded = await SeedAsync("nas1.home.arpa");
        OpenAt($"/certificates/{seeded.CertificateId}/renew");

        var page = Render<RenewPage>(p => p.Add(r => r.Id, seeded.CertificateId));

        page.WaitForAssertion(() => Assert.True(page.Has("wizard-cancel")));
        Assert.Equal("/", page.ById("wizard-cancel").GetAttribute("href"));
        await using var db = Storage.CreateContext();
        Assert.Equal(2, await db.Certificates.CountAsync());
    }

    [Fact]
    public void Import_Cancel_BackToTheCertificates()
    {
        OpenAt("/certificates/import");

        var page = Render<ImportPage>();

        Assert.Equal("/", page.ById("import-cancel").GetAttribute("href"));
    }

    [Fact]
    public void CreateAuthority_Cancel_BackToTheAuthorities()
    {
        OpenAt("/authorities/create");

        var page = Render<CreateAuthorityPage>();

        page.WaitForAssertion(() => Assert.True(page.Has("ca-cancel")));
        Assert.Equal("/authorities", page.ById("ca-cancel").GetAttribute("href"));
    }
}
