using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Web.Auth;
using SynoCertPanel.Web.Components.Common;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components.Wizards;

public sealed class CsrWizardPageTests : PanelComponentTest
{
    private const string Password = "correct horse battery staple";

    /// <summary>The real accounts store on the same data directory, with the signed-in admin's account.</summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Services.AddLogging();
        Services.AddSingleton(AccountsDbContext.ContextOptions(Storage.Data));
        Services.AddScoped<AccountsDbContext>();
        Services.AddIdentityCore<IdentityUser>(PanelIdentityOptions.Apply).AddEntityFrameworkStores<AccountsDbContext>();
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().MigrateAsync(Storage.Data);
        var created = await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().CreateAsync(new IdentityUser(UserName), Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
    }

    private IRenderedComponent<CsrWizardPage> Open()
    {
        RenderProviders();
        return Render<CsrWizardPage>();
    }

    private static void Fill(IRenderedComponent<CsrWizardPage> page, string description = "NAS two")
    {
        page.AddName("csr-san", "nas2.home.arpa 192.168.1.11");
        page.Type("csr-cn", "nas2.home.arpa");
        page.Type("csr-o", "Home");
        page.Click("csr-key-p256");
        page.Type("csr-description", description);
    }

    private IRenderedComponent<CsrWizardPage> CreateRequest()
    {
        var page = Open();
        Fill(page);
        page.Next("review-steps");
        page.Next("csr-created", "wizard-create");
        return page;
    }

    private List<(string Name, string Type)> Saved() => JSInterop.Invocations.Where(i => i.Identifier == BrowserFiles.SaveFunction)
        .Select(i => ((string)i.Arguments[0]!, (string)i.Arguments[1]!)).ToList();

    [Fact]
    public async Task Wizard_ValidRequest_StoresThePendingRequestAndShowsItsCsr()
    {
        var page = CreateRequest();

        Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----", page.ById("csr-pem").TextContent, StringComparison.Ordinal);
        Assert.Equal("O=Home,CN=nas2.home.arpa", page.ById("csr-subject").TextContent);
        Assert.Contains("matches", page.ById("csr-import-note").TextContent.Replace("finds", "matches", StringComparison.Ordinal), StringComparison.Ordinal);
        await using var db = Storage.CreateContext();
        var stored = await db.PendingRequests.SingleAsync();
        Assert.Equal("NAS two", stored.Description);
        Assert.Equal("DNS:nas2.home.arpa\nIP:192.168.1.11", stored.AlternativeNames);
        var csr = CertificateSigningRequest.FromDer(stored.CsrDer).Value;
        Assert.Equal(KeyAlgorithm.EcdsaP256, csr.PublicKey.Algorithm);
        Assert.Equal(page.ById("csr-pem").TextContent, csr.ToPem());
        Assert.Equal(["request.create"], await db.AuditEvents.Select(a => a.Action).ToListAsync());
    }

    [Theory]
    [InlineData("csr-c", "Deu", "must be a two-letter code")]
    [InlineData("csr-cn", "nas\u0000two", "contains a control character")]
    public void Step_BadSubject_ShowsTheEnginesMessageAndNextStaysDisabled(string field, string text, string message)
    {
        var page = Open();
        page.AddName("csr-san", "nas2.home.arpa");

        page.Type(field, text);

        Assert.Contains(message, page.ById("csr-subject-error").TextContent, StringComparison.Ordinal);
        Assert.True(page.IsDisabled("wizard-next"));
    }

    [Theory]
    [InlineData("n\u0430s2.home.arpa", "mixes Latin, Greek or Cyrillic letters")]
    [InlineData("10.0.0.1.5", "not a valid IPv4 address")]
    [InlineData("nas2..home.arpa", "empty label")]
    public void Step_BadName_NoChipAndTheMessageStays(string entry, string message)
    {
        var page = Open();

        page.AddName("csr-san", entry);

        Assert.Contains(message, page.ById("csr-san-error").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.Chips("csr-san"));
        Assert.True(page.IsDisabled("wizard-next"));
    }

    [Fact]
    public void Step_NoNames_NextDisabledWithTheReason()
    {
        var page = Open();
        page.Type("csr-cn", "nas2.home.arpa");

        Assert.True(page.IsDisabled("wizard-next"));
        Assert.Contains("at least one DNS name or IP address", page.ById("wizard-problem").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WhileTheKeyIsMade_ShowsProgressAndDisablesTheButtons()
    {
        var page = Open();
        Fill(page);
        page.Next("review-steps");

        await page.SubmitWhileStorageBusyAsync(Storage.WriteGate, "wizard-create", "wizard-back");

        page.WaitForAssertion(() => Assert.True(page.Has("csr-created")), WizardDriver.KeyGeneration);
        await using var db = Storage.CreateContext();
        Assert.Equal(1, await db.PendingRequests.CountAsync());
    }

    [Fact]
    public async Task Create_DescriptionTooLong_ShowsTheServicesRefusalAndStoresNothing()
    {
        var page = Open();
        Fill(page, new string('d', 201));
        page.Next("review-steps");

        page.Click("wizard-create");

        page.WaitForAssertion(() => Assert.Contains("at most 200", page.ById("review-error").TextContent, StringComparison.Ordinal), WizardDriver.KeyGeneration);
        Assert.True(page.IsDisabled("wizard-create"));
        await using var db = Storage.CreateContext();
        Assert.Equal(0, await db.PendingRequests.CountAsync());
        Assert.Equal(0, await db.PrivateKeys.CountAsync());
    }

    [Fact]
    public async Task Download_Csr_SavesThePemAndAuditsIt()
    {
        var page = CreateRequest();

        page.Click("csr-download");

        page.WaitForAssertion(() => Assert.Equal([("NAS_two.csr", "application/pkcs10")], Saved()));
        page.Click("csr-copy");
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText"
            && ((string)i.Arguments[0]!).StartsWith("-----BEGIN CERTIFICATE REQUEST-----", StringComparison.Ordinal));
        await using var db = Storage.CreateContext();
        Assert.Equal("csr pem", (await db.AuditEvents.SingleAsync(a => a.Action == "request.export")).Detail);
    }

    [Fact]
    public async Task KeyDownload_WrongPassword_RefusedNothingExportedAndTheFailureCounts()
    {
        var page = CreateRequest();
        page.Click("csr-key-request");
        page.WaitForAssertion(() => Assert.True(page.Has("csr-key-password")));

        page.Type("csr-key-password", "wrong password");
        page.Click("csr-key-confirm");

        page.WaitForAssertion(() => Assert.Equal(PasswordConfirmation.WrongPasswordMessage, page.ById("csr-key-error").TextContent));
        Assert.Empty(Saved());
        await using var db = Storage.CreateContext();
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == "request.export"));
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        Assert.Equal(1, await users.GetAccessFailedCountAsync((await users.FindByNameAsync(UserName))!));
    }

    [Fact]
    public async Task KeyDownload_RightPassword_SavesTheZipWithTheKeyAndAuditsIt()
    {
        var page = CreateRequest();
        Assert.False(page.Has("csr-key-password"));
        page.Click("csr-key-request");
        page.WaitForAssertion(() => Assert.True(page.Has("csr-key-password")));

        page.Type("csr-key-password", Password);
        page.Click("csr-key-confirm");

        page.WaitForAssertion(() => Assert.Equal([("NAS_two-csr.zip", "application/zip")], Saved()));
        Assert.False(page.Has("csr-key-error"));
        await using var db = Storage.CreateContext();
        Assert.Equal("csr zip with key", (await db.AuditEvents.SingleAsync(a => a.Action == "request.export")).Detail);
    }
}
