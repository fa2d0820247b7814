using System.Globalization;
using Bunit;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components.Wizards;

public sealed class RenewPageTests : PanelComponentTest
{
    private IRenderedComponent<RenewPage> Open(int id)
    {
        RenderProviders();
        var page = Render<RenewPage>(p => p.Add(r => r.Id, id));
        page.WaitForAssertion(() => Assert.True(page.Has("renew-plan") || page.Has("renew-error")));
        return page;
    }

    [Fact]
    public async Task Plan_IssuerHeldHere_ShowsWhatIsKeptAndOffersTheDefaultCheckedForTheDefault()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one", setAsDefault: true);

        var page = Open(seeded.CertificateId);

        Assert.Equal("CN=nas1.home.arpa", page.ById("renew-subject").TextContent);
        Assert.Contains("DNS:nas1.home.arpa", page.ById("renew-names").TextContent, StringComparison.Ordinal);
        Assert.Contains("Issued at once", page.ById("renew-mode").TextContent, StringComparison.Ordinal);
        Assert.True(page.ById("renew-set-default").HasAttribute("checked"));
        Assert.True(page.ById("renew-key-p256").HasAttribute("checked"));
    }

    [Fact]
    public async Task Renew_IssuedAtOnce_StoresTheNewCertificateWithTheChosenKeyAndMovesTheDefault()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one", setAsDefault: true);
        var page = Open(seeded.CertificateId);
        page.Click("renew-key-p384");

        page.Click("renew-submit");

        page.WaitForAssertion(() => Assert.True(page.Has("renew-issued")), WizardDriver.KeyGeneration);
        Assert.True(page.Has("apply-applied"));
        await using var db = Storage.CreateContext();
        var renewed = await db.Certificates.Where(c => c.Description == "NAS one").OrderBy(c => c.Id).LastAsync();
        Assert.NotEqual(seeded.CertificateId, renewed.Id);
        Assert.Equal(renewed.Id, await DefaultCertificate.GetAsync(db));
        Assert.Equal(KeyAlgorithm.EcdsaP384, (await new InventoryService(Storage, Time).GetAsync(renewed.Id)).Value.Certificate.PublicKey.Algorithm);
        Assert.Equal("DNS:nas1.home.arpa", renewed.AlternativeNames);

        page.Click("renew-download-chain");
        page.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier == Web.Components.Common.BrowserFiles.SaveFunction
            && (string)i.Arguments[0]! == "NAS_one-fullchain.pem"));
    }

    [Fact]
    public async Task Plan_OldIsTheDefault_DefaultMovesWithItAndCannotBeUnchecked()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one", setAsDefault: true);

        var page = Open(seeded.CertificateId);

        Assert.True(page.ById("renew-set-default").HasAttribute("checked"));
        Assert.True(page.ById("renew-set-default").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Renew_NotTheDefaultAndUnchecked_LeavesTheDefaultAloneAndReplacesTheOld()
    {
        var other = await SeedAsync("nas2.home.arpa", "NAS two", setAsDefault: true);
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        var page = Open(seeded.CertificateId);
        Assert.False(page.ById("renew-set-default").HasAttribute("checked"));

        page.Click("renew-submit");

        page.WaitForAssertion(() => Assert.True(page.Has("renew-issued")), WizardDriver.KeyGeneration);
        Assert.Contains("Not made the default", page.ById("apply-status").TextContent, StringComparison.Ordinal);
        await using var db = Storage.CreateContext();
        Assert.Equal(other.CertificateId, await DefaultCertificate.GetAsync(db));
        var renewed = await db.Certificates.Where(c => c.Description == "NAS one").OrderBy(c => c.Id).LastAsync();
        Assert.Equal(renewed.Id, (await db.Certificates.SingleAsync(c => c.Id == seeded.CertificateId)).ReplacedById);
    }

    [Fact]
    public async Task Plan_ValidityChanged_ShowsTheNewEndDateBeforeTheClickAndIssuesIt()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        var page = Open(seeded.CertificateId);
        static string EndAfter(int days) => (DateTimeOffset.UtcNow - CertificateIssuer.ClockSkewAllowance).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal("397", page.Find("[data-testid=renew-days] input, input[data-testid=renew-days]").GetAttribute("value"));
        Assert.Contains($"valid until {EndAfter(397)}", page.ById("renew-new-end").TextContent, StringComparison.Ordinal);

        page.Find("input[data-testid=renew-days], [data-testid=renew-days] input").Input("30");

        page.WaitForAssertion(() => Assert.Contains($"valid until {EndAfter(30)}", page.ById("renew-new-end").TextContent, StringComparison.Ordinal));
        page.Click("renew-submit");
        page.WaitForAssertion(() => Assert.True(page.Has("renew-issued")), WizardDriver.KeyGeneration);
        Assert.Contains($"valid until {EndAfter(30)}", page.ById("renew-issued").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("900", "too long: at most 825 days")]
    [InlineData("0", "at least one day")]
    public async Task Plan_ValidityOutsideTheLimit_KeepsWhatWasTypedRefusesWithASentenceAndDisablesRenew(string typed, string sentence)
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        var page = Open(seeded.CertificateId);

        page.Find("input[data-testid=renew-days], [data-testid=renew-days] input").Input(typed);

        page.WaitForAssertion(() => Assert.Contains(sentence, page.ById("renew-new-end").TextContent, StringComparison.Ordinal));
        Assert.Equal(typed, page.Find("input[data-testid=renew-days], [data-testid=renew-days] input").GetAttribute("value"));
        Assert.Equal("alert", page.ById("renew-new-end").GetAttribute("role"));
        Assert.True(page.ById("renew-submit").HasAttribute("disabled"));
        Assert.Contains("validity within the limit", page.ById("wizard-problem").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renew_IssuerNotHeldHere_BecomesAPendingCsrWithTheSameNames()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        Assert.True((await new InventoryService(Storage, Time).DeleteAsync(seeded.AuthorityCertificateId, force: true, UserName)).IsSuccess);
        var page = Open(seeded.CertificateId);
        Assert.Contains("Pending requests", page.ById("renew-mode").TextContent, StringComparison.Ordinal);
        Assert.False(page.Has("renew-set-default"));

        page.Click("renew-submit");

        page.WaitForAssertion(() => Assert.True(page.Has("csr-created")), WizardDriver.KeyGeneration);
        Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----", page.ById("csr-pem").TextContent, StringComparison.Ordinal);
        await using var db = Storage.CreateContext();
        var pending = await db.PendingRequests.SingleAsync();
        Assert.Equal(seeded.CertificateId, pending.RenewsCertificateId);
        Assert.Equal("DNS:nas1.home.arpa", pending.AlternativeNames);
    }

    [Fact]
    public async Task Renew_WhileTheKeyIsMade_ShowsProgressAndDisablesTheButton()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        var page = Open(seeded.CertificateId);

        await page.SubmitWhileStorageBusyAsync(Storage.WriteGate, "renew-submit");

        page.WaitForAssertion(() => Assert.True(page.Has("renew-issued")), WizardDriver.KeyGeneration);
        await using var db = Storage.CreateContext();
        Assert.Equal(3, await db.Certificates.CountAsync());
    }

    [Fact]
    public async Task Renew_CertificateDeletedMeanwhile_ShowsTheRefusalAndStoresNothing()
    {
        var seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        var page = Open(seeded.CertificateId);
        Assert.True((await new InventoryService(Storage, Time).DeleteAsync(seeded.CertificateId, force: true, UserName)).IsSuccess);

        page.Click("renew-submit");

        page.WaitForAssertion(() => Assert.Contains($"no certificate with id {seeded.CertificateId}", page.ById("renew-refused").TextContent, StringComparison.Ordinal),
            WizardDriver.KeyGeneration);
        await using var db = Storage.CreateContext();
        Assert.Equal(1, await db.Certificates.CountAsync());
        Assert.Equal(0, await db.PendingRequests.CountAsync());
    }

    [Fact]
    public async Task Plan_CaCertificate_ShowsWhyItCannotBeRenewed()
    {
        var seeded = await SeedAsync("nas1.home.arpa");

        var page = Open(seeded.AuthorityCertificateId);

        Assert.Contains("creating a new CA", page.ById("renew-error").TextContent, StringComparison.Ordinal);
        Assert.False(page.Has("renew-submit"));
    }

    [Fact]
    public void Plan_UnknownCertificate_ShowsAClearMessage()
    {
        var page = Open(404);

        Assert.Contains("no certificate with id 404", page.ById("renew-error").TextContent, StringComparison.Ordinal);
    }
}
