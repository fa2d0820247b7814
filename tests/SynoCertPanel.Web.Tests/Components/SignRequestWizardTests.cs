using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Components.Pages;
using SynoCertPanel.Web.Components.Signing;
using SynoCertPanel.Web.Tests.Listener;
using SynoCertPanel.Web.Tests.Support;

namespace SynoCertPanel.Web.Tests.Components;

public sealed class SignRequestWizardTests : PanelComponentTest
{
    private const string Extensions = "subjectAltName=DNS:nas2.home.arpa,IP:192.168.1.12";

    [Theory]
    [InlineData("empty", "The request file is empty.")]
    [InlineData("garbage", "not a DER certificate signing request")]
    [InlineData("truncated", "")]
    [InlineData("wrong-type", "No certificate signing request found (the file holds: CERTIFICATE)")]
    [InlineData("bad-signature", "signature does not verify")]
    [InlineData("two-requests", "holds 2 certificate signing requests")]
    public async Task Request_BadFile_ShowsTheEngineMessageAndNextStaysDisabled(string kind, string fragment)
    {
        var seeded = await SeedAsync("nas1.home.arpa");
        var pem = OpenSslRequests.Create(WorkDirectory, "/CN=nas2.home.arpa", Extensions);
        var der = SigningRequestReader.Read(Encoding.ASCII.GetBytes(pem)).Value.ToDer();
        byte[] bytes = kind switch
        {
            "empty" => [],
            "garbage" => [0x13, 0x37, .. Encoding.ASCII.GetBytes("not a request at all")],
            "truncated" => Encoding.ASCII.GetBytes(pem[..(pem.Length / 2)]),
            "wrong-type" => Encoding.ASCII.GetBytes(seeded.Server.Certificate.ToPem()),
            "bad-signature" => [.. der[..^1], (byte)(der[^1] ^ 0x01)],
            _ => Encoding.ASCII.GetBytes(pem + OpenSslRequests.Create(WorkDirectory, "/CN=other.home.arpa")),
        };
        var page = RenderWizard();

        Upload(page, bytes, "bad.csr");

        var expected = SigningRequestReader.Read(bytes);
        Assert.False(expected.IsSuccess);
        page.WaitForAssertion(() => Assert.Equal(expected.Error, page.Find("[data-testid=csr-error]").TextContent.Trim()));
        Assert.Contains(fragment, expected.Error, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=csr-summary]"));
        Assert.True(NextDisabled(page));
    }

    [Fact]
    public async Task Request_FileOverTheUploadLimit_RefusedUnread()
    {
        await SeedAsync("nas1.home.arpa");
        var page = RenderWizard();

        Upload(page, new byte[RequestStep.MaxFileBytes + 1], "huge.csr");

        page.WaitForAssertion(() => Assert.Contains("a request file is at most 1,048,576 bytes", page.Find("[data-testid=csr-error]").TextContent,
            StringComparison.Ordinal));
        Assert.True(NextDisabled(page));
    }

    [Fact]
    public async Task Request_DerOverTheEngineLimit_RefusedWithItsMessage()
    {
        await SeedAsync("nas1.home.arpa");
        var page = RenderWizard();
        byte[] oversized = [0x30, 0x83, 0x01, 0x00, 0x01, .. new byte[CertificateSigningRequest.MaxDerLength]];

        Upload(page, oversized, "big.der");

        page.WaitForAssertion(() => Assert.Contains("more than any real request", page.Find("[data-testid=csr-error]").TextContent, StringComparison.Ordinal));
        Assert.True(NextDisabled(page));
    }

    [Fact]
    public async Task Request_BadFileAfterAGoodOne_ForgetsTheGoodOne()
    {
        await SeedAsync("nas1.home.arpa");
        var page = RenderWizard();
        Upload(page, Encoding.ASCII.GetBytes(OpenSslRequests.Create(WorkDirectory, "/CN=nas2.home.arpa", Extensions)), "nas2.csr");
        page.WaitForAssertion(() => Assert.False(NextDisabled(page)));

        Upload(page, [1, 2, 3], "junk.bin");

        page.WaitForElement("[data-testid=csr-error]");
        Assert.True(NextDisabled(page));
    }

    [Fact]
    public async Task Request_PastedPem_ReadAndNextEnabled()
    {
        await SeedAsync("nas1.home.arpa");
        var page = RenderWizard();
        Assert.True(NextDisabled(page));

        page.Find("textarea[data-testid=csr-pem]").Change(OpenSslRequests.Create(WorkDirectory, "/CN=nas2.home.arpa", Extensions));
        page.Find("[data-testid=csr-read]").Click();

        page.WaitForAssertion(() => Assert.Equal("DNS:nas2.home.arpa, IP:192.168.1.12", page.Find("[data-testid=csr-names]").TextContent.Trim()));
        Assert.Equal("CN=nas2.home.arpa", page.Find("[data-testid=csr-subject]").TextContent.Trim());
        Assert.False(NextDisabled(page));
    }

    [Fact]
    public async Task Request_HostileSubject_ShownLiterallyAndSigningRefusedWithNothingStored()
    {
        await SeedAsync("nas1.home.arpa");
        var before = await CountAsync();
        var page = RenderWizard();
        var pem = OpenSslRequests.Create(WorkDirectory, "/CN=<script>alert(1)<\\/script>/O=Bell\u0007Labs", "subjectAltName=DNS:nas2.home.arpa");

        Upload(page, Encoding.UTF8.GetBytes(pem), "<b>bold</b>.csr");

        var subject = page.WaitForElement("[data-testid=csr-subject]");
        // The subject reads as RFC 4514 text, where "<" and ">" carry a backslash; the page adds no markup of its own.
        Assert.Contains(@"CN=\<script\>alert(1)\</script\>", subject.TextContent, StringComparison.Ordinal);
        Assert.Contains("Bell\\u0007Labs", subject.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=csr-summary] script"));
        Assert.Empty(page.FindAll("[data-testid=csr-summary] b"));
        Assert.DoesNotContain('\u0007', page.Markup);

        Next(page);
        page.WaitForAssertion(() => Assert.Contains("The request's subject cannot be used", page.Find("[data-testid=choices-error]").TextContent,
            StringComparison.Ordinal));
        Assert.True(NextDisabled(page));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Sign_NamesEdited_StoredCertificateCarriesTheApprovedNamesAndNoKey()
    {
        var seeded = await SeedAsync("nas1.home.arpa");
        var page = RenderWizard();
        Upload(page, Encoding.ASCII.GetBytes(OpenSslRequests.Create(WorkDirectory, "/CN=nas2.home.arpa", Extensions,
            "basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign")), "nas2.csr");
        page.WaitForElement("[data-testid=csr-summary]");
        Next(page);

        page.WaitForAssertion(() => Assert.Equal(["DNS:nas2.home.arpa", "IP:192.168.1.12"], Chips(page)));
        Assert.True(page.Find($"input[data-testid=authority-{seeded.AuthorityId}]").HasAttribute("checked"));
        page.FindAll("[data-testid=san-chip]").Single(c => c.TextContent.Contains("IP:192.168.1.12", StringComparison.Ordinal))
            .QuerySelector(".mud-chip-close-button")!.Click();
        page.Find("input[data-testid=san-input]").Input("files.home.arpa");
        page.Find("[data-testid=san-add]").Click();

        page.WaitForAssertion(() => Assert.Equal(["DNS:nas2.home.arpa", "DNS:files.home.arpa"], Chips(page)));
        page.WaitForAssertion(() => Assert.Equal(
            [
                "Extension: basic constraints (CA flag) (2.5.29.19, marked critical); the CA decides it.",
                "Extension: key usage (2.5.29.15, marked critical); the CA decides it.",
                "Alternative name IP:192.168.1.12: removed before signing.",
            ],
            page.FindAll("[data-testid=not-copied-item]").Select(i => i.TextContent.Trim())));
        Next(page);

        var review = page.WaitForElement("[data-testid=review-names]");
        Assert.Equal("DNS:nas2.home.arpa, DNS:files.home.arpa", review.TextContent.Trim());
        Assert.Equal(6, page.FindAll("[data-testid=lint] .mud-chip").Count);
        Assert.Empty(page.FindAll("[data-testid=lint] .mud-chip-color-error"));
        page.Find("[data-testid=sign]").Click();

        page.WaitForElement("[data-testid=signed-result]");
        Assert.Equal("DNS:nas2.home.arpa, DNS:files.home.arpa", page.Find("[data-testid=signed-names]").TextContent.Trim());
        await using var db = Storage.CreateContext();
        var stored = await db.Certificates.SingleAsync(c => c.Source == CertificateSource.SignedRequest);
        var certificate = Certificate.FromDer(stored.Der).Value;
        Assert.Equal(["DNS:nas2.home.arpa", "DNS:files.home.arpa"], certificate.SubjectAlternativeNames.Select(n => n.ToString()));
        Assert.False(certificate.IsCertificateAuthority);
        Assert.Null(stored.PrivateKeyId);
        Assert.Equal(seeded.AuthorityId, stored.IssuedByAuthorityId);
    }

    [Fact]
    public async Task Choices_NameTheParserRefuses_ShowsItsMessageAndKeepsTheList()
    {
        await SeedAsync("nas1.home.arpa");
        var page = await OpenChoicesAsync("subjectAltName=DNS:nas2.home.arpa");

        page.Find("input[data-testid=san-input]").Input("bad name!");
        page.Find("[data-testid=san-add]").Click();

        var error = page.WaitForElement("[data-testid=san-error]");
        Assert.Equal(SanParser.Parse("bad name!").Error, error.TextContent.Trim());
        Assert.Equal(["DNS:nas2.home.arpa"], Chips(page));
        page.Find("input[data-testid=san-input]").Input("nas2.home.arpa");
        page.Find("[data-testid=san-add]").Click();
        page.WaitForAssertion(() => Assert.Contains("already in the list", page.Find("[data-testid=san-error]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Choices_EveryNameRemoved_RefusedAndNextDisabled()
    {
        await SeedAsync("nas1.home.arpa");
        var page = await OpenChoicesAsync("subjectAltName=DNS:nas2.home.arpa");

        page.Find("[data-testid=san-chip] .mud-chip-close-button").Click();

        page.WaitForElement("[data-testid=choices-error]");
        Assert.True(NextDisabled(page));
    }

    [Theory]
    [InlineData("0", "Validity must be at least one day.")]
    [InlineData("-30", "Validity must be at least one day.")]
    [InlineData("826", "at most 825 days")]
    [InlineData("100000", "at most 825 days")]
    public async Task Choices_ValidityAbuse_RefusedNextDisabledNothingStored(string days, string fragment)
    {
        await SeedAsync("nas1.home.arpa");
        var before = await CountAsync();
        var page = await OpenChoicesAsync("subjectAltName=DNS:nas2.home.arpa");

        page.Find("input[data-testid=validity-days]").Change(days);

        page.WaitForAssertion(() => Assert.Contains(fragment, page.Find("[data-testid=choices-error]").TextContent, StringComparison.Ordinal));
        Assert.True(NextDisabled(page));
        Next(page);
        Assert.Empty(page.FindAll("[data-testid=sign]"));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Choices_ValidityBeyondTheCa_ShorteningAnnounced()
    {
        var created = await new AuthorityService(Storage, Time).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Short Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            ValidityDays = 30,
        }, UserName);
        Assert.True(created.IsSuccess, created.Error);
        var page = await OpenChoicesAsync("subjectAltName=DNS:nas2.home.arpa");

        page.Find("input[data-testid=validity-days]").Change("200");

        page.WaitForAssertion(() => Assert.Contains("The validity was shortened to end with the CA's own",
            page.Find("[data-testid=choices-warnings]").TextContent, StringComparison.Ordinal));
        Assert.False(NextDisabled(page));
    }

    [Theory]
    [InlineData(-400, "expired")]
    [InlineData(400, "not valid until")]
    public async Task Choices_TwoCas_NoneChosenUntilPickedAndTheOneNotValidNowRefused(int shiftDays, string label)
    {
        // Neither has signed anything yet, so neither is "the last used".
        var valid = (await new AuthorityService(Storage, Time).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Valid Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, UserName)).Value;
        var notValidNow = await new AuthorityService(Storage, new MutableClock { Offset = TimeSpan.FromDays(shiftDays) }).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Old Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            ValidityDays = 365,
        }, UserName);
        Assert.True(notValidNow.IsSuccess, notValidNow.Error);
        var page = await OpenChoicesAsync("subjectAltName=DNS:nas2.home.arpa");

        Assert.Equal("Choose the CA that signs.", page.Find("[data-testid=choices-error]").TextContent.Trim());
        Assert.True(NextDisabled(page));
        Assert.Contains(label, page.Find("[data-testid=authority-choice]").TextContent, StringComparison.Ordinal);

        page.Find($"input[data-testid=authority-{notValidNow.Value.Id}]").Click();
        page.WaitForAssertion(() => Assert.Contains("The CA \"CN=Old Root\" is not valid now", page.Find("[data-testid=choices-error]").TextContent,
            StringComparison.Ordinal));
        Assert.True(NextDisabled(page));

        page.Find($"input[data-testid=authority-{valid.Id}]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=choices-error]")));
        Assert.False(NextDisabled(page));
    }

    [Fact]
    public async Task Result_Downloads_FullChainAndLeafThroughTheBrowserWithoutAnyKey()
    {
        await SeedAsync("nas1.home.arpa");
        var saved = new List<(string Name, string Text)>();
        JSInterop.SetupVoid(SynoCertPanel.Web.Components.Common.BrowserFiles.SaveFunction, invocation =>
        {
            using var copy = new MemoryStream();
            ((Microsoft.JSInterop.DotNetStreamReference)invocation.Arguments[2]!).Stream.CopyTo(copy);
            saved.Add(((string)invocation.Arguments[0]!, Encoding.ASCII.GetString(copy.ToArray())));
            return true;
        }).SetVoidResult();
        var page = await OpenChoicesAsync("subjectAltName=DNS:nas2.home.arpa");
        page.WaitForAssertion(() => Assert.False(NextDisabled(page)));
        Next(page);
        page.WaitForElement("[data-testid=sign]").Click();
        page.WaitForElement("[data-testid=signed-result]");

        page.Find("[data-testid=download-fullchain]").Click();
        page.WaitForAssertion(() => Assert.Single(saved));
        page.Find("[data-testid=download-leaf]").Click();
        page.WaitForAssertion(() => Assert.Equal(2, saved.Count));

        Assert.Equal("nas2.home.arpa-fullchain.pem", saved[0].Name);
        Assert.Equal(2, CountOf(saved[0].Text, "-----BEGIN CERTIFICATE-----"));
        Assert.Equal("nas2.home.arpa.pem", saved[1].Name);
        Assert.Equal(1, CountOf(saved[1].Text, "-----BEGIN CERTIFICATE-----"));
        Assert.All(saved, s => Assert.DoesNotContain("PRIVATE KEY", s.Text, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid*=key]"));
    }

    private IRenderedComponent<SignRequestWizardPage> RenderWizard()
    {
        RenderProviders();
        var page = Render<SignRequestWizardPage>();
        page.WaitForElement("[data-testid=csr-file]");
        return page;
    }

    [Fact]
    public async Task Choices_StartUpCaAndOneOwnCa_OwnListedFirstAndChosenStartUpMarked()
    {
        await SeedStartUpAsync();
        var own = (await new AuthorityService(Storage, Time).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Lab Root CA").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, UserName)).Value;

        var page = await OpenChoicesAsync("subjectAltName=DNS:nas2.home.arpa");

        page.WaitForAssertion(() => Assert.True(page.Find($"input[data-testid=authority-{own.Id}]").HasAttribute("checked")));
        var choices = page.FindAll("[data-testid=authority-choice] input[type=radio]").Select(i => i.GetAttribute("data-testid")).ToList();
        Assert.Equal($"authority-{own.Id}", choices[0]);
        var bootstrap = Assert.Single(page.FindAll("[data-testid^=temporary-]"));
        Assert.Equal("Temporary (panel start-up)", bootstrap.TextContent.Trim());
        Assert.NotEqual($"temporary-{own.Id}", bootstrap.GetAttribute("data-testid"));
    }

    [Fact]
    public async Task Choices_TwoOwnCas_TheOneThatSignedLastChosen()
    {
        await SeedAsync("nas1.home.arpa");
        var last = await SeedAsync("nas2.home.arpa");
        await SeedAsync("nas3.home.arpa");
        await new AuthorityService(Storage, Time).IssueAsync(last.AuthorityId, new LeafOptions
        {
            Subject = DistinguishedName.Create("files.home.arpa").Value,
            SubjectAlternativeNames = SanParser.ParseAll(["files.home.arpa"]).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, "files", setAsDefault: false, UserName);

        var page = await OpenChoicesAsync("subjectAltName=DNS:nas2.home.arpa");

        page.WaitForAssertion(() => Assert.True(page.Find($"input[data-testid=authority-{last.AuthorityId}]").HasAttribute("checked")));
        Assert.Single(page.FindAll("[data-testid=authority-choice] input[checked]"));
    }

    private async Task<IRenderedComponent<SignRequestWizardPage>> OpenChoicesAsync(params string[] extensions)
    {
        var page = RenderWizard();
        Upload(page, Encoding.ASCII.GetBytes(OpenSslRequests.Create(WorkDirectory, "/CN=nas2.home.arpa", extensions)), "nas2.csr");
        page.WaitForElement("[data-testid=csr-summary]");
        Next(page);
        page.WaitForElement("input[data-testid=validity-days]");
        await Task.CompletedTask;
        return page;
    }

    private static void Upload(IRenderedComponent<SignRequestWizardPage> page, byte[] content, string name) =>
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(content, name));

    private static void Next(IRenderedComponent<SignRequestWizardPage> page) => page.Find("[data-testid=wizard-next]").Click();

    private static bool NextDisabled(IRenderedComponent<SignRequestWizardPage> page) => page.Find("[data-testid=wizard-next]").HasAttribute("disabled");

    private static List<string> Chips(IRenderedComponent<SignRequestWizardPage> page) =>
        page.FindAll("[data-testid=san-chip]").Select(c => c.TextContent.Trim()).ToList();

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private async Task<(int Certificates, int Serials)> CountAsync()
    {
        await using var db = Storage.CreateContext();
        return (await db.Certificates.CountAsync(), await db.IssuedSerials.CountAsync());
    }
}
