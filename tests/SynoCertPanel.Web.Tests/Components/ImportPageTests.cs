using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;
using SynoCertPanel.Pki.Formats.Containers;
using SynoCertPanel.Web.Components.Certificates;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components;

public sealed class ImportPageTests : PanelComponentTest
{
    private OpenSslHierarchy _pki = null!;
    private IRenderedComponent<MudBlazor.MudDialogProvider>? _dialogs;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _pki = OpenSslHierarchy.Create(Path.Combine(Storage.Data.Path, "..", "pki"));
    }

    private IRenderedComponent<ImportPage> RenderPage()
    {
        (_dialogs, _) = RenderProviders();
        return Render<ImportPage>();
    }

    private static void Upload(IRenderedComponent<ImportPage> page, string field, string fileName, byte[] content) =>
        page.FindComponents<UploadField>().Single(f => f.Instance.TestId == field).FindComponent<InputFile>()
            .UploadFiles(InputFileContent.CreateFromBinary(content, fileName));

    private static void Upload(IRenderedComponent<ImportPage> page, string field, string path) =>
        Upload(page, field, Path.GetFileName(path), File.ReadAllBytes(path));

    private static bool IsDisabled(IRenderedComponent<ImportPage> page, string testId) => page.Find($"[data-testid={testId}]").HasAttribute("disabled");

    private static string Error(IRenderedComponent<ImportPage> page) => page.Find("[data-testid=import-error]").TextContent.Trim();

    private static void Type(IRenderedComponent<ImportPage> page, string testId, string text) =>
        page.Find($"input[data-testid={testId}], [data-testid={testId}] input").Input(text);

    private static void Next(IRenderedComponent<ImportPage> page) => page.Find("[data-testid=import-next]").Click();

    private async Task<(int Certificates, int Keys, int Authorities, int Pending)> CountRowsAsync()
    {
        await using var db = Storage.CreateContext();
        return (await db.Certificates.CountAsync(), await db.PrivateKeys.CountAsync(), await db.Authorities.CountAsync(), await db.PendingRequests.CountAsync());
    }

    private async Task<AuditEventRecord?> LastImportAuditAsync()
    {
        await using var db = Storage.CreateContext();
        return await db.AuditEvents.Where(a => a.Action == "certificate.import").OrderBy(a => a.Id).LastOrDefaultAsync();
    }

    [Fact]
    public void Files_NextEnabledOnlyOnceTheNeededFileIsChosen()
    {
        var page = RenderPage();

        Assert.True(IsDisabled(page, "import-next"));
        Upload(page, "key-file", _pki.LeafKey);
        page.WaitForAssertion(() => Assert.Contains("leaf.key", page.Find("[data-testid=key-file-name]").TextContent, StringComparison.Ordinal));
        Assert.True(IsDisabled(page, "import-next"));
        Upload(page, "certificate-file", _pki.LeafCert);
        page.WaitForAssertion(() => Assert.False(IsDisabled(page, "import-next")));

        page.Find("input[data-testid=kind-one]").Click();
        page.WaitForAssertion(() => Assert.True(IsDisabled(page, "import-next")));
        Assert.Empty(page.FindAll("[data-testid=key-file]"));
        Upload(page, "bundle-file", _pki.LeafCert);
        page.WaitForAssertion(() => Assert.False(IsDisabled(page, "import-next")));
        Assert.Empty(page.FindAll("[data-testid=passphrase]"));
    }

    [Fact]
    public async Task SeparateFiles_ReviewShowsWhatWillBeImportedThenImportStoresIt()
    {
        var page = RenderPage();
        Upload(page, "key-file", _pki.LeafKey);
        Upload(page, "certificate-file", _pki.LeafCert);
        Upload(page, "chain-file", _pki.Chain);
        Type(page, "description", "NAS <b>web</b>");
        Next(page);

        page.WaitForAssertion(() => Assert.Contains("CN=nas.home.arpa", page.Find("[data-testid=review-subject]").TextContent, StringComparison.Ordinal));
        Assert.Equal("NAS <b>web</b>", page.Find("[data-testid=review-description]").TextContent);
        Assert.Contains("DNS:nas.home.arpa", page.Find("[data-testid=review-names]").TextContent, StringComparison.Ordinal);
        Assert.Contains("IP:192.168.1.10", page.Find("[data-testid=review-names]").TextContent, StringComparison.Ordinal);
        Assert.Contains("CN=OpenSSL Test Intermediate", page.Find("[data-testid=review-issuer]").TextContent, StringComparison.Ordinal);
        Assert.Contains("OpenSSL Test Intermediate", page.Find("[data-testid=review-chain]").TextContent, StringComparison.Ordinal);
        Assert.Contains("ECDSA P-256", page.Find("[data-testid=review-key]").TextContent, StringComparison.Ordinal);
        Assert.Contains("from the files", page.Find("[data-testid=review-key]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=lint]"));
        Assert.Empty(page.FindAll("[data-testid=certificate-file]"));
        Assert.Equal((0, 0, 0, 0), await CountRowsAsync());
        Assert.Null(await LastImportAuditAsync());

        page.Find("[data-testid=import-confirm]").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=import-done]")), TimeSpan.FromSeconds(10));
        Assert.Equal((1, 1, 0, 0), await CountRowsAsync());
        await using (var db = Storage.CreateContext())
        {
            var stored = await db.Certificates.Include(c => c.PrivateKey).SingleAsync();
            Assert.Equal("NAS <b>web</b>", stored.Description);
            Assert.NotNull(stored.PrivateKey);
            Assert.Equal("CN=OpenSSL Test Intermediate", System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(stored.ChainPem).Subject);
        }

        var audit = await LastImportAuditAsync();
        Assert.Equal(AuditOutcome.Succeeded, audit!.Outcome);
        Assert.Equal(UserName, audit.Actor);
        Assert.Contains("&lt;b&gt;web&lt;/b&gt;", page.Find("[data-testid=import-done]").InnerHtml, StringComparison.Ordinal);
        Assert.Equal("/", page.Find("[data-testid=import-back-to-list]").GetAttribute("href"));

        page.Find("[data-testid=import-export]").Click();
        var dialogs = _dialogs!;
        dialogs.WaitForAssertion(() => Assert.Contains("Export \"NAS <b>web</b>\"", dialogs.Find(".mud-dialog-title").TextContent, StringComparison.Ordinal));
        dialogs.WaitForElement("[data-testid=export-save]");
    }

    [Fact]
    public async Task Pkcs12_PassphraseFieldAppearsWhenAskedAndAWrongOneSaysSo()
    {
        _pki.Openssl("pkcs12", "-export", "-inkey", _pki.LeafKey, "-in", _pki.LeafCert, "-certfile", _pki.Chain, "-passout", "pass:right one", "-out", _pki.File("nas.p12"));
        var page = RenderPage();
        page.Find("input[data-testid=kind-one]").Click();
        Upload(page, "bundle-file", _pki.File("nas.p12"));
        Assert.Empty(page.FindAll("[data-testid=passphrase]"));

        Next(page);
        page.WaitForAssertion(() => Assert.Equal(Pkcs12Reader.PasswordRequiredMessage, Error(page)[^Pkcs12Reader.PasswordRequiredMessage.Length..]));
        Assert.NotNull(page.Find("[data-testid=passphrase]"));

        Type(page, "passphrase", "wrong one");
        Next(page);
        page.WaitForAssertion(() => Assert.Contains(Pkcs12Reader.WrongPasswordMessage, Error(page), StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=review-subject]"));

        Type(page, "passphrase", "right one");
        Next(page);
        page.WaitForAssertion(() => Assert.Contains("CN=nas.home.arpa", page.Find("[data-testid=review-subject]").TextContent, StringComparison.Ordinal));
        page.Find("[data-testid=import-confirm]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=import-done]")), TimeSpan.FromSeconds(10));
        Assert.Equal((1, 1, 0, 0), await CountRowsAsync());
    }

    [Fact]
    public void SelfSignedPkcs12_ReviewAndDoneGiveTheSameVerdictsAndTheDoneScreenKeepsRuleIdsOutOfItsText()
    {
        // What `openssl req -x509` makes: CA:TRUE, no extendedKeyUsage; imported to be served.
        _pki.Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", _pki.File("ss.key"),
            "-subj", "/CN=selfsigned.home.arpa", "-addext", "subjectAltName=DNS:selfsigned.home.arpa", "-days", "365", "-out", _pki.File("ss.crt"));
        _pki.Openssl("pkcs12", "-export", "-inkey", _pki.File("ss.key"), "-in", _pki.File("ss.crt"), "-passout", "pass:pw", "-out", _pki.File("ss.p12"));
        var page = RenderPage();
        page.Find("input[data-testid=kind-one]").Click();
        Upload(page, "bundle-file", _pki.File("ss.p12"));
        Next(page);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=passphrase]")));
        Type(page, "passphrase", "pw");
        Next(page);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=lint]")));
        var reviewed = page.Find("[data-testid=lint]").TextContent;

        page.Find("[data-testid=import-confirm]").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=import-done]")), TimeSpan.FromSeconds(10));
        Assert.Equal(reviewed, page.Find("[data-testid=lint]").TextContent);
        Assert.Contains("Firefox refuses a CA certificate", reviewed, StringComparison.Ordinal);
        var main = page.Find("[data-testid=import-done]").ParentElement!.TextContent;
        Assert.DoesNotContain("e_sub_cert", main.Replace(page.Find("[data-testid=lint]").TextContent, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=import-warning]"));
    }

    [Theory]
    [InlineData("mismatch", "does not belong")]
    [InlineData("broken chain", "chain is broken")]
    [InlineData("garbage", "garbage.crt")]
    [InlineData("truncated", "cut.pem")]
    [InlineData("key only as certificate", "no certificate")]
    public async Task BadFiles_RefusedWithTheServicesMessageAndNothingStored(string problem, string expected)
    {
        var page = RenderPage();
        var pem = File.ReadAllBytes(_pki.LeafCert);
        switch (problem)
        {
            case "mismatch":
                Upload(page, "key-file", _pki.IntermediateKey);
                Upload(page, "certificate-file", _pki.LeafCert);
                break;
            case "broken chain":
                Upload(page, "key-file", _pki.LeafKey);
                Upload(page, "certificate-file", _pki.LeafCert);
                Upload(page, "chain-file", _pki.RootCert);
                break;
            case "garbage":
                Upload(page, "certificate-file", "garbage.crt", Enumerable.Range(0, 900).Select(i => (byte)(i * 37 % 253)).ToArray());
                break;
            case "truncated":
                Upload(page, "certificate-file", "cut.pem", pem[..(pem.Length / 2)]);
                break;
            default:
                Upload(page, "certificate-file", _pki.LeafKey);
                break;
        }

        page.WaitForAssertion(() => Assert.False(IsDisabled(page, "import-next")));
        Next(page);

        page.WaitForAssertion(() => Assert.Contains(expected, Error(page), StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=review-subject]"));
        Assert.NotNull(page.Find("[data-testid=import-next]"));
        Assert.Equal((0, 0, 0, 0), await CountRowsAsync());
        Assert.Null(await LastImportAuditAsync());
    }

    [Fact]
    public async Task Expired_RefusedWithTheDateAndNothingStored()
    {
        Services.AddScoped(_ => new ImportService(Storage, new LaterClock(TimeSpan.FromDays(45))));
        var page = RenderPage();
        Upload(page, "key-file", _pki.LeafKey);
        Upload(page, "certificate-file", _pki.LeafCert);
        Upload(page, "chain-file", _pki.Chain);

        Next(page);

        page.WaitForAssertion(() => Assert.Contains("expired on", Error(page), StringComparison.Ordinal));
        Assert.Equal((0, 0, 0, 0), await CountRowsAsync());
    }

    [Fact]
    public async Task Oversized_RefusedBeforeReadingAndNextStaysDisabled()
    {
        var page = RenderPage();

        Upload(page, "certificate-file", "huge.pem", new byte[ImportUpload.MaxFileBytes + 1]);

        page.WaitForAssertion(() => Assert.Contains("at most 1024 KiB", page.Find("[data-testid=certificate-file-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=certificate-file-name]"));
        Assert.True(IsDisabled(page, "import-next"));
        Assert.Equal((0, 0, 0, 0), await CountRowsAsync());
    }

    [Fact]
    public void UploadLimit_IsTheServicesAndTheHttpBodyLimit()
    {
        Assert.Equal(ImportService.MaxFileBytes, ImportUpload.MaxFileBytes);
        Assert.Equal(Protection.ProtectionOptions.DefaultMaxRequestBodySize, ImportUpload.MaxFileBytes);
    }

    [Fact]
    public async Task DescriptionTooLong_RefusedWithTheServicesMessage()
    {
        var page = RenderPage();
        Upload(page, "key-file", _pki.LeafKey);
        Upload(page, "certificate-file", _pki.LeafCert);
        Upload(page, "chain-file", _pki.Chain);
        Type(page, "description", new string('d', SelfSignedService.MaxDescriptionLength + 1));

        Next(page);

        page.WaitForAssertion(() => Assert.Contains($"at most {SelfSignedService.MaxDescriptionLength}", Error(page), StringComparison.Ordinal));
        Assert.Equal((0, 0, 0, 0), await CountRowsAsync());
    }

    [Fact]
    public async Task CertificateForAPendingRequest_NeedsNoKeyFileAndCompletesTheRequest()
    {
        var pending = await new RequestService(Storage, Time).CreateAsync(Pki.Names.DistinguishedName.Create("csr.home.arpa").Value,
            Pki.Names.SanParser.ParseAll(["csr.home.arpa"]).Value, Pki.Keys.KeyAlgorithm.EcdsaP256, "waiting", UserName);
        Assert.True(pending.IsSuccess, pending.Error);
        var csr = await new ExportService(Storage, Time).ExportRequestAsync(pending.Value.Id, RequestExportFormat.Pem, includeKey: false, UserName);
        File.WriteAllBytes(_pki.File("pending.csr"), csr.Value.Content);
        File.WriteAllText(_pki.File("pending.ext"), "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:csr.home.arpa\n");
        _pki.Openssl("x509", "-req", "-in", _pki.File("pending.csr"), "-CA", _pki.IntermediateCert, "-CAkey", _pki.IntermediateKey, "-set_serial", "0x4321",
            "-days", "20", "-sha256", "-extfile", _pki.File("pending.ext"), "-out", _pki.File("pending.pem"));
        var page = RenderPage();
        Upload(page, "certificate-file", _pki.File("pending.pem"));
        Upload(page, "chain-file", _pki.Chain);

        Next(page);

        page.WaitForAssertion(() => Assert.Contains($"pending request {pending.Value.Id}", page.Find("[data-testid=review-key]").TextContent, StringComparison.Ordinal));
        page.Find("[data-testid=import-confirm]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=import-done]")), TimeSpan.FromSeconds(10));
        Assert.Equal((1, 1, 0, 0), await CountRowsAsync());
    }

    [Fact]
    public void Back_FromReview_KeepsTheFilesChosen()
    {
        var page = RenderPage();
        Upload(page, "key-file", _pki.LeafKey);
        Upload(page, "certificate-file", _pki.LeafCert);
        Upload(page, "chain-file", _pki.Chain);
        Next(page);
        page.WaitForElement("[data-testid=review-subject]");

        page.Find("[data-testid=import-previous]").Click();

        page.WaitForAssertion(() => Assert.Contains("leaf.pem", page.Find("[data-testid=certificate-file-name]").TextContent, StringComparison.Ordinal));
        Assert.Contains("leaf.key", page.Find("[data-testid=key-file-name]").TextContent, StringComparison.Ordinal);
        Assert.False(IsDisabled(page, "import-next"));
        Assert.Empty(page.FindAll("[data-testid=review-subject]"));
    }

    private sealed class LaterClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
