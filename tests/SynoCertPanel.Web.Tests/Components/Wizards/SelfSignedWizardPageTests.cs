using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Web.Components.Common;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components.Wizards;

public sealed class SelfSignedWizardPageTests : PanelComponentTest
{
    private IRenderedComponent<MudDialogProvider>? _dialogs;

    private IRenderedComponent<SelfSignedWizardPage> Open()
    {
        _dialogs = RenderProviders().Dialogs;
        return Render<SelfSignedWizardPage>();
    }

    /// <summary>Step 1 filled with a quick key type, then on to step 2.</summary>
    private static void FillRoot(IRenderedComponent<SelfSignedWizardPage> page, string commonName = "Home Lab Root CA")
    {
        page.Type("root-cn", commonName);
        page.Click("root-key-p256");
        page.Next("server-san-input");
    }

    private static void FillServer(IRenderedComponent<SelfSignedWizardPage> page, params string[] names)
    {
        foreach (var name in names)
        {
            page.AddName("server-san", name);
        }

        page.Click("server-key-p256");
        page.WaitForAssertion(() => Assert.Equal(names.Length, page.Chips("server-san").Count));
    }

    [Fact]
    public void RootStep_NoCommonName_NextDisabledWithTheReason()
    {
        var page = Open();

        Assert.True(page.IsDisabled("wizard-next"));
        Assert.Contains("common name is required", page.ById("wizard-problem").TextContent, StringComparison.Ordinal);

        page.Type("root-cn", "Home Lab Root CA");

        Assert.False(page.IsDisabled("wizard-next"));
        Assert.False(page.Has("wizard-problem"));
    }

    [Theory]
    [InlineData("root-c", "USA", "must be a two-letter code")]
    [InlineData("root-c", "1A", "must be a two-letter code")]
    [InlineData("root-cn", "Root\u0000CA", "contains a control character")]
    [InlineData("root-o", "Home\nLab", "contains a control character")]
    public void RootStep_BadSubjectField_ShowsTheEnginesMessageAndNextStaysDisabled(string field, string text, string message)
    {
        var page = Open();
        if (field != "root-cn")
        {
            page.Type("root-cn", "Home Lab Root CA");
        }

        page.Type(field, text);

        Assert.Contains(message, page.ById("root-subject-error").TextContent, StringComparison.Ordinal);
        Assert.True(page.IsDisabled("wizard-next"));
    }

    [Fact]
    public void RootStep_OversizedCommonName_RefusedWithItsLength()
    {
        var page = Open();

        page.Type("root-cn", new string('r', 10_000));

        Assert.Contains("Common name", page.ById("root-subject-error").TextContent, StringComparison.Ordinal);
        Assert.True(page.IsDisabled("wizard-next"));
    }

    [Theory]
    [InlineData("0", "at least one day")]
    [InlineData("-5", "at least one day")]
    [InlineData("9133", "at most 9132 days")]
    public void RootStep_BadValidity_RefusedByTheProfile(string days, string message)
    {
        var page = Open();
        page.Type("root-cn", "Home Lab Root CA");

        page.Type("root-validity", days);

        page.WaitForAssertion(() => Assert.Contains(message, page.ById("root-validity-error").TextContent, StringComparison.Ordinal));
        Assert.True(page.IsDisabled("wizard-next"));
    }

    [Theory]
    [InlineData("nas_1.home.arpa", "not allowed in a host name")]
    [InlineData("<script>alert(1)</script>", "not allowed in a host name")]
    [InlineData("%%%garbage!!", "not allowed in a host name")]
    [InlineData("nas\u0000.home.arpa", "control character")]
    [InlineData("nas\u202E.home.arpa", "control character")]
    [InlineData("p\u0430ypal.home.arpa", "mixes Latin, Greek or Cyrillic letters")]
    [InlineData("192.168.1.256", "between 0 and 255")]
    [InlineData("192.168.01.1", "leading zero")]
    [InlineData("fe80::1%eth0", "zone index")]
    [InlineData("*.arpa", "directly under a top-level domain")]
    [InlineData("nas.*.home.arpa", "wildcard in the wrong place")]
    [InlineData("admin@home.arpa", "only DNS names and IP addresses")]
    public void ServerStep_BadName_NotAddedAndTheEnginesMessageStays(string entry, string message)
    {
        var page = Open();
        FillRoot(page);

        page.AddName("server-san", entry);

        Assert.Contains(message, page.ById("server-san-error").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.Chips("server-san"));
        Assert.True(page.IsDisabled("wizard-next"));
        page.ById("server-san-add").Click();
        Assert.Contains(message, page.ById("server-san-error").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.Chips("server-san"));
    }

    [Fact]
    public void ServerStep_OversizedEntry_RefusedWithItsLengthAndNoChip()
    {
        var page = Open();
        FillRoot(page);

        page.AddName("server-san", new string('a', 10_000));

        Assert.Contains("is too long (10000 characters)", page.ById("server-san-error").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.Chips("server-san"));
    }

    [Fact]
    public void ServerStep_ListWithOneBadEntry_AddsTheGoodOnesAndKeepsTheBadOneWithItsMessage()
    {
        var page = Open();
        FillRoot(page);

        page.AddName("server-san", "nas1.home.arpa, 192.168.1.300 b\u00FCcher.home.arpa;127.0.0.1");

        Assert.Equal(["nas1.home.arpa", "b\u00FCcher.home.arpa (xn--bcher-kva.home.arpa)", "127.0.0.1"], page.Chips("server-san"));
        Assert.Contains("\"192.168.1.300\"", page.ById("server-san-error").TextContent, StringComparison.Ordinal);
        Assert.Equal("192.168.1.300", page.ById("server-san-input").GetAttribute("value"));
        Assert.Contains("Add the name you typed", page.ById("wizard-problem").TextContent, StringComparison.Ordinal);
        Assert.True(page.IsDisabled("wizard-next"));
    }

    [Fact]
    public void ServerStep_LiveCheck_ShowsTheMessageWhileTyping()
    {
        var page = Open();
        FillRoot(page);

        page.Type("server-san-input", "10.0.0.999");

        Assert.Contains("between 0 and 255", page.ById("server-san-error").TextContent, StringComparison.Ordinal);
        page.Type("server-san-input", "10.0.0.9");
        Assert.False(page.Has("server-san-error"));
    }

    [Fact]
    public void ServerStep_NoNames_NextDisabledUntilOneIsAdded()
    {
        var page = Open();
        FillRoot(page);

        Assert.True(page.IsDisabled("wizard-next"));
        Assert.Contains("at least one DNS name or IP address", page.ById("wizard-problem").TextContent, StringComparison.Ordinal);

        page.AddName("server-san", "nas1.home.arpa");

        Assert.False(page.IsDisabled("wizard-next"));
    }

    [Fact]
    public void ServerStep_ChipClosed_RemovesTheName()
    {
        var page = Open();
        FillRoot(page);
        FillServer(page, "nas1.home.arpa", "127.0.0.1");

        page.FindAll("[data-testid=server-san-chip] .mud-chip-close-button")[0].Click();

        Assert.Equal(["127.0.0.1"], page.Chips("server-san"));
    }

    [Fact]
    public async Task Wizard_FullRun_StoresRootAndServerAsChosenAndMakesItTheDefault()
    {
        var page = Open();
        page.Type("root-o", "Home");
        page.Type("root-c", "de");
        FillRoot(page);
        FillServer(page, "nas1.home.arpa", "127.0.0.1", "localhost");
        page.Type("server-description", "NAS one");
        page.Type("server-validity", "200");

        page.Next("review-certificate");

        Assert.Equal("CN=nas1.home.arpa", page.ById("review-subject").TextContent);
        Assert.Contains("IP:127.0.0.1", page.ById("review-names").TextContent, StringComparison.Ordinal);
        Assert.Contains("ECDSA P-256", page.ById("review-key").TextContent, StringComparison.Ordinal);
        Assert.Equal(6, page.ById("lint").QuerySelectorAll(".mud-chip-color-success").Length);
        Assert.Empty(page.ById("lint").QuerySelectorAll(".mud-chip-color-error"));
        Assert.Contains("It becomes the default", page.ById("review-steps").TextContent, StringComparison.Ordinal);
        await using (var before = Storage.CreateContext())
        {
            Assert.Equal(0, await before.Certificates.CountAsync());
        }

        page.Next("result-created", "wizard-create");

        Assert.Contains("NAS one", page.ById("result-created").TextContent, StringComparison.Ordinal);
        Assert.Equal("C=DE,O=Home,CN=Home Lab Root CA", page.ById("result-root").TextContent);
        Assert.True(page.Has("apply-applied"));
        await using var db = Storage.CreateContext();
        var server = await db.Certificates.SingleAsync(c => c.Description == "NAS one");
        Assert.Equal("DNS:nas1.home.arpa\nIP:127.0.0.1\nDNS:localhost", server.AlternativeNames);
        Assert.Equal(KeyAlgorithm.EcdsaP256, (await Inventory().GetAsync(server.Id)).Value.Certificate.PublicKey.Algorithm);
        Assert.Equal(server.Id, await DefaultCertificate.GetAsync(db));
        Assert.Equal(1, await db.Authorities.CountAsync());
        Assert.Equal(200, (int)Math.Round((server.NotAfter - server.NotBefore).TotalDays));
        Assert.Equal(["authority.create", "certificate.create-self-signed", "certificate.set-default"],
            await db.AuditEvents.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Wizard_WhileKeysAreMade_ShowsProgressDisablesButtonsAndCreatesOnce()
    {
        var page = Open();
        FillRoot(page);
        FillServer(page, "nas1.home.arpa");
        page.Next("review-certificate");

        await page.SubmitWhileStorageBusyAsync(Storage.WriteGate, "wizard-create", "wizard-back");

        page.WaitForAssertion(() => Assert.True(page.Has("result-created")), WizardDriver.KeyGeneration);
        Assert.False(page.Has("wizard-progress"));
        await using var db = Storage.CreateContext();
        Assert.Equal(2, await db.Certificates.CountAsync());
    }

    [Fact]
    public async Task Review_DescriptionWithControlCharacter_ShowsTheServicesRefusalAndCreatesNothing()
    {
        var page = Open();
        FillRoot(page);
        FillServer(page, "nas1.home.arpa");
        page.Type("server-description", "NAS\u0007one");

        page.Next("review-error");

        Assert.Contains("control character", page.ById("review-error").TextContent, StringComparison.Ordinal);
        Assert.True(page.IsDisabled("wizard-create"));
        await using var db = Storage.CreateContext();
        Assert.Equal(0, await db.Certificates.CountAsync());
    }

    [Fact]
    public void Review_PanelReachedByANameNotInTheCertificate_SaysSoApartFromTheClientVerdicts()
    {
        var page = Open();
        FillRoot(page);
        FillServer(page, "nas1.home.arpa");

        page.Next("review-certificate");

        Assert.Contains("localhost", page.ById("review-host-not-covered").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("e_sub_cert_host_not_covered", page.ById("lint").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.ById("lint").QuerySelectorAll(".mud-chip-color-error"));
        Assert.Contains("localhost", page.ById("review-steps").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Review_AddTheAddressInUse_JoinsTheNamesAndTheNoticeGoes()
    {
        var page = Open();
        FillRoot(page);
        FillServer(page, "nas1.home.arpa");
        page.Next("review-certificate");

        page.Click("review-add-host");

        page.WaitForAssertion(() => Assert.Contains("DNS:localhost", page.ById("review-names").TextContent, StringComparison.Ordinal));
        Assert.Contains("DNS:nas1.home.arpa", page.ById("review-names").TextContent, StringComparison.Ordinal);
        Assert.False(page.Has("review-host-not-covered"));
    }

    [Fact]
    public void Review_PanelReachedByANameInTheCertificate_NoNotice()
    {
        var page = Open();
        FillRoot(page);
        FillServer(page, "nas1.home.arpa", "localhost");

        page.Next("review-certificate");

        Assert.False(page.Has("review-host-not-covered"));
    }

    [Fact]
    public async Task Wizard_ExistingCa_IssuesFromItWithoutANewRoot()
    {
        var seeded = await SeedAsync("old.home.arpa");
        var page = Open();
        page.WaitForAssertion(() => Assert.True(page.Has($"root-existing-{seeded.AuthorityId}")));

        page.Click($"root-existing-{seeded.AuthorityId}");
        Assert.False(page.Has("root-cn"));
        page.Next("server-san-input");
        FillServer(page, "nas2.home.arpa");
        page.ById("server-set-default").Change(false);
        page.Next("review-certificate");
        Assert.Contains("old.home.arpa Root CA", page.ById("review-steps").TextContent, StringComparison.Ordinal);
        page.Next("result-created", "wizard-create");

        Assert.Contains("Not made the default", page.ById("apply-status").TextContent, StringComparison.Ordinal);
        await using var db = Storage.CreateContext();
        Assert.Equal(1, await db.Authorities.CountAsync());
        var issued = await db.Certificates.SingleAsync(c => c.Description == "nas2.home.arpa");
        Assert.Equal(seeded.AuthorityId, issued.IssuedByAuthorityId);
        Assert.Null(await DefaultCertificate.GetAsync(db));
    }

    [Fact]
    public async Task RootStep_OwnCaAndStartUpCa_OwnCaChosenStartUpMarked()
    {
        await SeedStartUpAsync();
        var own = await SeedAsync("old.home.arpa");

        var page = Open();

        page.WaitForAssertion(() => Assert.True(page.Has($"root-existing-{own.AuthorityId}")));
        Assert.True(page.Find($"input[data-testid=root-existing-{own.AuthorityId}]").HasAttribute("checked"));
        Assert.False(page.Has("root-cn"));
        Assert.Equal("Temporary (panel start-up)", Assert.Single(page.FindAll("[data-testid^=temporary-]")).TextContent.Trim());
        Assert.False(page.IsDisabled("wizard-next"));
    }

    [Fact]
    public async Task RootStep_OnlyStartUpCa_NewRootChosen()
    {
        await SeedStartUpAsync();

        var page = Open();

        page.WaitForAssertion(() => Assert.True(page.Has("root-choice")));
        Assert.True(page.Find("input[data-testid=root-new]").HasAttribute("checked"));
        Assert.True(page.Has("root-cn"));
    }

    [Fact]
    public async Task Wizard_CaDeletedBeforeTheFinalClick_ShowsTheRefusalAndStoresNothing()
    {
        var seeded = await SeedAsync("old.home.arpa");
        var page = Open();
        page.WaitForAssertion(() => Assert.True(page.Has($"root-existing-{seeded.AuthorityId}")));
        page.Click($"root-existing-{seeded.AuthorityId}");
        page.Next("server-san-input");
        FillServer(page, "nas2.home.arpa");
        page.Next("review-certificate");
        Assert.True((await Inventory().DeleteAsync(seeded.AuthorityCertificateId, force: true, UserName)).IsSuccess);

        page.Click("wizard-create");

        page.WaitForAssertion(() => Assert.Contains($"no CA with id {seeded.AuthorityId}", page.ById("review-error").TextContent, StringComparison.Ordinal),
            WizardDriver.KeyGeneration);
        Assert.False(page.Has("result-created"));
        await using var db = Storage.CreateContext();
        Assert.False(await db.Certificates.AnyAsync(c => c.Description == "nas2.home.arpa"));
    }

    [Fact]
    public async Task Result_Downloads_RootAsCrtAndFullChainThroughTheExportDialog()
    {
        var page = Open();
        FillRoot(page);
        FillServer(page, "nas1.home.arpa");
        page.Next("review-certificate");
        page.Next("result-created", "wizard-create");

        page.Click("result-download-root");
        // Each save finishes on its own; the order of the two files is only known when the first is saved before the second starts.
        page.WaitForAssertion(() => Assert.Equal(1, JSInterop.Invocations.Count(i => i.Identifier == BrowserFiles.SaveFunction)));
        page.Click("result-export");
        var dialogs = _dialogs!;
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll("[data-testid=export-save]")));
        dialogs.Find($"input[data-testid=format-{ExportFormats.NameOf(ExportFormat.FullChain)}]").Click();
        dialogs.Find("[data-testid=export-save]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, JSInterop.Invocations.Count(i => i.Identifier == BrowserFiles.SaveFunction)));
        var saved = JSInterop.Invocations.Where(i => i.Identifier == BrowserFiles.SaveFunction).Select(i => ((string)i.Arguments[0]!, (string)i.Arguments[1]!)).ToList();
        Assert.Equal([("Home_Lab_Root_CA.crt", "application/x-x509-ca-cert"), ("nas1.home.arpa-fullchain.pem", "application/x-pem-file")], saved);
        await using var db = Storage.CreateContext();
        Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.Action == "certificate.export"));
    }

    [Fact]
    public void Wizard_HostileSubjectText_IsShownLiterally()
    {
        var page = Open();
        FillRoot(page, "<b>Evil</b> Root");
        FillServer(page, "nas1.home.arpa");
        page.Type("server-description", "<img src=x onerror=alert(1)>");
        page.Next("review-certificate");

        page.Next("result-created", "wizard-create");

        Assert.Empty(page.FindAll("b"));
        Assert.Empty(page.FindAll("img"));
        Assert.Equal("CN=\\<b\\>Evil\\</b\\> Root", page.ById("result-root").TextContent);
        Assert.Contains("<img src=x onerror=alert(1)>", page.ById("result-created").TextContent, StringComparison.Ordinal);
    }

    private InventoryService Inventory() => new(Storage, Time);
}
