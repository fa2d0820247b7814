using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

public class SigningPreviewTests
{
    [Fact]
    public async Task Preview_RequestAskingForCaFlagAndExtraName_ListsWhatIsNotCopiedAndStoresNothing()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authority = await CreateRootAsync(panel, panel.Time);
        var csr = OpenSslRequest(panel, "/CN=a.home.arpa", "subjectAltName=DNS:a.home.arpa,DNS:b.home.arpa", "basicConstraints=critical,CA:TRUE");
        var before = await CountsAsync(panel);

        var preview = await new SigningService(panel.Storage, panel.Time).PreviewAsync(authority, csr, new SignRequestOptions
        {
            SubjectAlternativeNames = SanParser.ParseAll(["a.home.arpa"]).Value,
        });

        Assert.True(preview.IsSuccess, preview.Error);
        Assert.Equal(["DNS:a.home.arpa"], preview.Value.Certificate.SubjectAlternativeNames.Select(n => n.ToString()));
        Assert.False(preview.Value.Certificate.IsCertificateAuthority);
        Assert.Contains(preview.Value.NotCopied, n => n.StartsWith("Extension: basic constraints (CA flag) (2.5.29.19, marked critical)", StringComparison.Ordinal));
        Assert.Contains(preview.Value.NotCopied, n => n.Contains("DNS:b.home.arpa", StringComparison.Ordinal) && n.Contains("removed", StringComparison.Ordinal));
        Assert.NotNull(preview.Value.Lint);
        Assert.All(preview.Value.Lint!.Verdicts, v => Assert.True(v.Accepts, v.Client.ToString()));
        Assert.Null(preview.Value.Refusal);
        Assert.Equal(before, await CountsAsync(panel));
    }

    [Fact]
    public async Task Sign_RequestAskingForUnknownCriticalExtension_LeavesItOutAndOpenSslVerifies()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authority = await CreateRootAsync(panel, panel.Time);
        var csr = OpenSslRequest(panel, "/CN=nas.home.arpa", "subjectAltName=DNS:nas.home.arpa", "1.3.6.1.4.1.55555.7.1=critical,DER:05:00");
        var signing = new SigningService(panel.Storage, panel.Time);

        var preview = await signing.PreviewAsync(authority, csr, new SignRequestOptions());
        var signed = await signing.SignAsync(authority, csr, new SignRequestOptions(), "nas", "admin");

        Assert.True(preview.IsSuccess, preview.Error);
        Assert.Contains(preview.Value.NotCopied, n => n.StartsWith("Extension: unknown extension (1.3.6.1.4.1.55555.7.1, marked critical)", StringComparison.Ordinal));
        Assert.True(signed.IsSuccess, signed.Error);
        var issued = signed.Value.Issued;
        Assert.Empty(issued.Certificate.UnprocessedCriticalExtensions);
        var leaf = Path.Combine(panel.Path, "signed.pem");
        var root = Path.Combine(panel.Path, "root.pem");
        File.WriteAllText(leaf, issued.Certificate.ToPem());
        File.WriteAllText(root, issued.Chain[^1].ToPem());
        var verify = PanelFixture.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "nas.home.arpa", "-CAfile", root, leaf);
        Assert.True(verify.ExitCode == 0, verify.Output);
        var text = PanelFixture.Run("openssl", "x509", "-in", leaf, "-noout", "-text");
        Assert.DoesNotContain("55555", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_RequestAskingForUriAndEmailNames_ListsThemAsNotCopiedAndStoresNothing()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authority = await CreateRootAsync(panel, panel.Time);
        var csr = OpenSslRequest(panel, "/CN=nas.home.arpa", "subjectAltName=DNS:nas.home.arpa,URI:http://nas.home.arpa/,email:admin@nas.home.arpa");
        var before = await CountsAsync(panel);

        var preview = await new SigningService(panel.Storage, panel.Time).PreviewAsync(authority, csr, new SignRequestOptions());

        Assert.True(preview.IsSuccess, preview.Error);
        Assert.Equal(["DNS:nas.home.arpa"], preview.Value.Certificate.SubjectAlternativeNames.Select(n => n.ToString()));
        Assert.Contains("Alternative name URI:http://nas.home.arpa/: server certificates carry DNS names and IP addresses only.", preview.Value.NotCopied);
        Assert.Contains("Alternative name email:admin@nas.home.arpa: server certificates carry DNS names and IP addresses only.", preview.Value.NotCopied);
        Assert.Equal(before, await CountsAsync(panel));
    }

    [Fact]
    public async Task Sign_OperatorApprovesUriName_RefusedWithSentenceAndStoresNothing()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authority = await CreateRootAsync(panel, panel.Time);
        var csr = OpenSslRequest(panel, "/CN=nas.home.arpa", "subjectAltName=DNS:nas.home.arpa,URI:http://nas.home.arpa/");
        var before = await CountsAsync(panel);

        var signed = await new SigningService(panel.Storage, panel.Time).SignAsync(authority, csr,
            new SignRequestOptions { SubjectAlternativeNames = SanParser.ParseAll(["nas.home.arpa", "URI:http://nas.home.arpa/"]).Value }, "nas", "admin");

        Assert.False(signed.IsSuccess);
        Assert.Equal("Server certificates carry DNS names and IP addresses only; remove \"URI:http://nas.home.arpa/\".", signed.Error);
        var after = await CountsAsync(panel);
        Assert.Equal(before.Certificates, after.Certificates);
    }

    [Fact]
    public async Task Preview_CommonNameLeftOutOfApprovedNames_SaysTheCommonNameIsNotCopied()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authority = await CreateRootAsync(panel, panel.Time);
        var csr = OpenSslRequest(panel, "/CN=old.home.arpa", "subjectAltName=DNS:old.home.arpa");

        var preview = await new SigningService(panel.Storage, panel.Time).PreviewAsync(authority, csr, new SignRequestOptions
        {
            SubjectAlternativeNames = SanParser.ParseAll(["new.home.arpa"]).Value,
        });

        Assert.True(preview.IsSuccess, preview.Error);
        Assert.Equal("new.home.arpa", preview.Value.Certificate.Subject.CommonName);
        Assert.Contains(preview.Value.NotCopied, n => n.StartsWith("Common name \"old.home.arpa\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Preview_ValidityBeyondTheCa_AnnouncesTheShortening()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authority = await CreateRootAsync(panel, panel.Time, validityDays: 30);
        var csr = OpenSslRequest(panel, "/CN=nas.home.arpa", "subjectAltName=DNS:nas.home.arpa");

        var preview = await new SigningService(panel.Storage, panel.Time).PreviewAsync(authority, csr, new SignRequestOptions { ValidityDays = 200 });

        Assert.True(preview.IsSuccess, preview.Error);
        Assert.Contains(preview.Value.Warnings, w => w.StartsWith("The validity was shortened to end with the CA's own", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(826)]
    public async Task Preview_ValidityOutOfRange_Refused(int days)
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authority = await CreateRootAsync(panel, panel.Time);
        var csr = OpenSslRequest(panel, "/CN=nas.home.arpa", "subjectAltName=DNS:nas.home.arpa");

        var preview = await new SigningService(panel.Storage, panel.Time).PreviewAsync(authority, csr, new SignRequestOptions { ValidityDays = days });

        Assert.False(preview.IsSuccess);
        Assert.Contains("day", preview.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_ExpiredCa_RefusedWithItsDates()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authority = await CreateRootAsync(panel, new ShiftedClock(TimeSpan.FromDays(-400)), validityDays: 365);
        var csr = OpenSslRequest(panel, "/CN=nas.home.arpa", "subjectAltName=DNS:nas.home.arpa");

        var preview = await new SigningService(panel.Storage, panel.Time).PreviewAsync(authority, csr, new SignRequestOptions());

        Assert.False(preview.IsSuccess);
        Assert.Contains("is not valid now", preview.Error, StringComparison.Ordinal);
    }

    private static async Task<int> CreateRootAsync(PanelFixture panel, TimeProvider time, int? validityDays = null)
    {
        var created = await new AuthorityService(panel.Storage, time).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Preview Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            ValidityDays = validityDays,
        }, "admin");
        Assert.True(created.IsSuccess, created.Error);
        return created.Value.Id;
    }

    private static CertificateSigningRequest OpenSslRequest(PanelFixture panel, string subject, params string[] extensions)
    {
        var csrPath = Path.Combine(panel.Path, Guid.NewGuid().ToString("N") + ".csr");
        var arguments = new List<string> { "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", csrPath + ".key", "-out", csrPath, "-subj", subject };
        arguments.AddRange(extensions.SelectMany(e => new[] { "-addext", e }));
        var made = PanelFixture.Run("openssl", [.. arguments]);
        Assert.True(made.ExitCode == 0, made.Output);
        var read = SigningRequestReader.Read(File.ReadAllBytes(csrPath));
        Assert.True(read.IsSuccess, read.Error);
        return read.Value;
    }

    private static async Task<(int Certificates, int Audit)> CountsAsync(PanelFixture panel)
    {
        await using var db = panel.Storage.CreateContext();
        return (await db.Certificates.CountAsync(), await db.AuditEvents.CountAsync());
    }
}
