using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Formats.Containers;
using SynoCertPanel.Web.Auth;
using SynoCertPanel.Web.Components.Certificates;
using SynoCertPanel.Web.Components.Common;

namespace SynoCertPanel.Web.Tests.Components;

public sealed class ExportDialogTests : PanelComponentTest
{
    private const string AccountPassword = "correct horse battery";
    private const string FilePassword = "pfx secret one";

    private IRenderedComponent<MudDialogProvider> _dialogs = null!;
    private SelfSignedResult _seeded = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateAccountAsync(AccountPassword);
        _seeded = await SeedAsync("nas1.home.arpa", "NAS one");
        (_dialogs, _) = RenderProviders();
        await OpenAsync(_seeded.CertificateId, "NAS one");
    }

    private async Task OpenAsync(int certificateId, string description)
    {
        var dialogs = Services.GetRequiredService<IDialogService>();
        if (_dialogs.FindAll("[data-testid=export-close]").Count > 0)
        {
            _dialogs.Find("[data-testid=export-close]").Click();
            _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=export-close]")));
        }

        await _dialogs.InvokeAsync(() => ExportDialog.ShowAsync(dialogs, certificateId, description));
        _dialogs.WaitForAssertion(() => Assert.Single(_dialogs.FindAll("[data-testid=export-save]")));
    }

    private bool FormatDisabled(ExportFormat format) => _dialogs.Find($"input[data-testid=format-{ExportFormats.NameOf(format)}]").HasAttribute("disabled");

    private void Choose(ExportFormat format) => _dialogs.Find($"input[data-testid=format-{ExportFormats.NameOf(format)}]").Click();

    private void Type(string testId, string text) => _dialogs.Find($"input[data-testid={testId}], [data-testid={testId}] input").Input(text);

    private bool ExportDisabled => _dialogs.Find("[data-testid=export-save]").HasAttribute("disabled");

    private string Validation => _dialogs.Find("[data-testid=export-validation]").TextContent;

    private List<(string Name, string ContentType, byte[] Content)> Saved() =>
        JSInterop.Invocations.Where(i => i.Identifier == BrowserFiles.SaveFunction)
            .Select(i => ((string)i.Arguments[0]!, (string)i.Arguments[1]!, ((MemoryStream)((DotNetStreamReference)i.Arguments[2]!).Stream).ToArray()))
            .ToList();

    private (string Name, string ContentType, byte[] Content) ExportAndWait()
    {
        var before = Saved().Count;
        _dialogs.Find("[data-testid=export-save]").Click();
        _dialogs.WaitForAssertion(() => Assert.Equal(before + 1, Saved().Count), TimeSpan.FromSeconds(10));
        return Saved()[^1];
    }

    private async Task<IdentityUser> AdminAsync()
    {
        await using var scope = Accounts.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByNameAsync(UserName))!;
    }

    private async Task<List<AuditEventRecord>> AuditAsync(string action)
    {
        await using var db = Storage.CreateContext();
        return await db.AuditEvents.Where(a => a.Action == action).ToListAsync();
    }

    [Theory]
    [InlineData(ExportFormat.Pem)]
    [InlineData(ExportFormat.FullChain)]
    [InlineData(ExportFormat.Chain)]
    [InlineData(ExportFormat.Der)]
    [InlineData(ExportFormat.P7b)]
    public async Task Export_FormatWithoutKey_SavesTheServicesFileWithoutAskingThePassword(ExportFormat format)
    {
        Choose(format);

        _dialogs.WaitForAssertion(() => Assert.False(ExportDisabled));
        Assert.Empty(_dialogs.FindAll("[data-testid=account-password]"));
        var (name, contentType, content) = ExportAndWait();
        Assert.Equal(UserName, Assert.Single(await AuditAsync(AuditActions.Export)).Actor);

        var expected = (await new ExportService(Storage, Time).ExportAsync(_seeded.CertificateId, format, new ExportOptions(), "test")).Value;
        Assert.Equal(expected.FileName, name);
        Assert.Equal(expected.ContentType, contentType);
        Assert.Equal(expected.Content, content);
        var certificates = format switch
        {
            ExportFormat.Der => [X509CertificateLoader.LoadCertificate(content)],
            ExportFormat.P7b => Pkcs7Reader.ReadCertificates(content).Value.Select(c => c.ToX509Certificate2()).ToList(),
            _ => PemReader.ReadAll(Encoding.ASCII.GetString(content)).Value.Select(b => X509CertificateLoader.LoadCertificate(b.Data)).ToList(),
        };
        var expectedSubjects = format switch
        {
            ExportFormat.Chain => new[] { "CN=nas1.home.arpa Root CA" },
            ExportFormat.Pem or ExportFormat.Der => ["CN=nas1.home.arpa"],
            _ => ["CN=nas1.home.arpa", "CN=nas1.home.arpa Root CA"],
        };
        Assert.Equal(expectedSubjects, certificates.Select(c => c.Subject));
    }

    [Fact]
    public void Pkcs12_Passwords_ExplainWhatIsMissingUntilComplete()
    {
        Choose(ExportFormat.Pfx);

        _dialogs.WaitForAssertion(() => Assert.Equal(ExportInput.Pkcs12PasswordMissing, Validation));
        Assert.True(ExportDisabled);
        Type("file-password", FilePassword);
        Type("file-password-again", FilePassword + "x");
        _dialogs.WaitForAssertion(() => Assert.Equal(ExportInput.PasswordsDiffer, Validation));
        Assert.True(ExportDisabled);
        Type("file-password-again", FilePassword);
        _dialogs.WaitForAssertion(() => Assert.Equal(ExportInput.AccountPasswordMissing, Validation));
        Assert.True(ExportDisabled);
        Type("account-password", AccountPassword);
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=export-validation]")));
        Assert.False(ExportDisabled);
    }

    [Theory]
    [InlineData(ExportFormat.Pfx)]
    [InlineData(ExportFormat.PfxLegacy)]
    public async Task Pkcs12_RightAccountPassword_SavesAFileThatOpensWithTheFilePassword(ExportFormat format)
    {
        Choose(format);
        Type("file-password", FilePassword);
        Type("file-password-again", FilePassword);
        Type("account-password", AccountPassword);

        var (name, _, content) = ExportAndWait();

        Assert.EndsWith(".pfx", name, StringComparison.Ordinal);
        var collection = X509CertificateLoader.LoadPkcs12Collection(content, FilePassword);
        var leaf = collection.Single(c => c.HasPrivateKey);
        Assert.Equal("CN=nas1.home.arpa", leaf.Subject);
        Assert.Contains(collection, c => c.Subject == "CN=nas1.home.arpa Root CA");
        Assert.True(Pkcs12Reader.Read(content, FilePassword).IsSuccess);
        Assert.False(Pkcs12Reader.Read(content, "wrong").IsSuccess);
        var audit = Assert.Single(await AuditAsync(AuditActions.ExportKey));
        Assert.Equal(AuditOutcome.Succeeded, audit.Outcome);
        Assert.Equal(UserName, audit.Actor);
        Assert.Empty(_dialogs.Find("[data-testid=account-password] input, input[data-testid=account-password]").GetAttribute("value") ?? string.Empty);
    }

    [Fact]
    public async Task Key_WrongAccountPassword_RefusedNothingSavedAndCountedTowardLockout()
    {
        Choose(ExportFormat.Key);
        Type("account-password", "not my password");

        _dialogs.Find("[data-testid=export-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Equal(PasswordConfirmation.WrongPasswordMessage, _dialogs.Find("[data-testid=export-error]").TextContent.Trim()));
        Assert.Empty(Saved());
        Assert.Empty(await AuditAsync(AuditActions.ExportKey));
        Assert.Equal(1, (await AdminAsync()).AccessFailedCount);
    }

    [Fact]
    public async Task Key_RightAccountPassword_SavesThePrivateKeyOfTheCertificate()
    {
        Choose(ExportFormat.Key);
        Type("account-password", AccountPassword);

        var (name, _, content) = ExportAndWait();

        Assert.EndsWith(".key", name, StringComparison.Ordinal);
        using var key = ECDsa.Create();
        key.ImportFromPem(Encoding.ASCII.GetString(content));
        await using var db = Storage.CreateContext();
        var certificate = X509CertificateLoader.LoadCertificate((await db.Certificates.SingleAsync(c => c.Id == _seeded.CertificateId)).Der);
        using var paired = certificate.CopyWithPrivateKey(key);
        Assert.True(paired.HasPrivateKey);
        Assert.Single(await AuditAsync(AuditActions.ExportKey));
    }

    [Fact]
    public void Key_Saved_OnlyTheSavedMessageShowsBesideTheButtons()
    {
        Choose(ExportFormat.Key);
        Type("account-password", AccountPassword);

        ExportAndWait();

        _dialogs.WaitForAssertion(() => Assert.Contains("Saved", _dialogs.Find("[data-testid=export-saved]").TextContent, StringComparison.Ordinal));
        var messages = _dialogs.Find("[data-testid=export-messages]");
        Assert.Empty(messages.QuerySelectorAll("[data-testid=export-validation]"));
        Assert.Equal("status", _dialogs.Find("[data-testid=export-saved]").GetAttribute("role"));
        Assert.NotNull(messages.Closest(".mud-dialog-actions"));

        Type("account-password", "a");
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=export-saved]")));
    }

    [Fact]
    public void Key_WrongAccountPassword_TheErrorIsAnAlertBesideTheButtons()
    {
        Choose(ExportFormat.Key);
        Type("account-password", "not the password");

        _dialogs.Find("[data-testid=export-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Equal("alert", _dialogs.Find("[data-testid=export-error]").GetAttribute("role")));
        Assert.NotNull(_dialogs.Find("[data-testid=export-error]").Closest(".mud-dialog-actions"));
    }

    [Fact]
    public async Task Key_FiveWrongAccountPasswords_LocksTheAccountSoEvenTheRightOneIsRefused()
    {
        Choose(ExportFormat.Key);
        for (var i = 0; i < LockoutRules.MaxFailedAttempts; i++)
        {
            Type("account-password", $"wrong {i}");
            _dialogs.Find("[data-testid=export-save]").Click();
            _dialogs.WaitForElement("[data-testid=export-error]");
        }

        Type("account-password", AccountPassword);
        _dialogs.Find("[data-testid=export-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("locked", _dialogs.Find("[data-testid=export-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(Saved());
        Assert.True((await AdminAsync()).LockoutEnd > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task SynologyZip_RightAccountPassword_SavesArchiveWithCertificateAndKey()
    {
        Choose(ExportFormat.SynologyZip);
        Type("account-password", AccountPassword);

        var (name, _, content) = ExportAndWait();

        Assert.EndsWith(".zip", name, StringComparison.Ordinal);
        using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
        Assert.Contains("cert.pem", zip.Entries.Select(e => e.FullName));
        Assert.Contains("privkey.pem", zip.Entries.Select(e => e.FullName));
        Assert.Single(await AuditAsync(AuditActions.ExportKey));
    }

    [Fact]
    public async Task CertificateSignedForAnotherBox_KeyFormatsDisabledWithTheReason()
    {
        var pending = await new RequestService(Storage, Time).CreateAsync(Pki.Names.DistinguishedName.Create("nas2.home.arpa").Value,
            Pki.Names.SanParser.ParseAll(["nas2.home.arpa"]).Value, Pki.Keys.KeyAlgorithm.EcdsaP256, "", UserName);
        var csr = Pki.Issuance.CertificateSigningRequest.FromDer(pending.Value.Request.ToDer()).Value;
        var signed = await new SigningService(Storage, Time).SignAsync(_seeded.AuthorityId, csr, new Pki.Issuance.SignRequestOptions(), "NAS two", UserName);
        Assert.True(signed.IsSuccess, signed.Error);

        await OpenAsync(signed.Value.CertificateId, "NAS two");

        Assert.All(ExportChoices.All, c => Assert.Equal(c.ContainsKey, FormatDisabled(c.Format)));
        Assert.Contains("the private key is not held here", _dialogs.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RootCertificate_ChainDisabledBecauseNothingIsAboveIt()
    {
        await OpenAsync(_seeded.AuthorityCertificateId, "root");

        Assert.True(FormatDisabled(ExportFormat.Chain));
        Assert.False(FormatDisabled(ExportFormat.Pfx));
        Assert.Contains("no issuer certificates are stored with it", _dialogs.Markup, StringComparison.Ordinal);
    }
}
