using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Formats;

namespace SynoCertPanel.Core.Tests;

/// <summary>The review before an import: the same answer the import would give, and nothing stored or audited.</summary>
public sealed class ImportPreviewTests : IAsyncLifetime
{
    private PanelFixture _panel = null!;
    private OpenSslHierarchy _pki = null!;

    public async Task InitializeAsync()
    {
        _panel = await PanelFixture.CreateAsync();
        _pki = OpenSslHierarchy.Create(Path.Combine(_panel.Path, "pki"));
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private async Task<int> AuditCountAsync()
    {
        await using var db = _panel.Storage.CreateContext();
        return await db.AuditEvents.CountAsync();
    }

    /// <summary>Previews <paramref name="request"/> and checks that it left no row and no audit entry behind.</summary>
    private async Task<ReadResult<ImportPreview>> PreviewAsync(ImportRequest request, ImportService? service = null)
    {
        var rows = await _panel.CountRowsAsync();
        var audits = await AuditCountAsync();

        var result = await (service ?? _panel.Import).PreviewAsync(request);

        Assert.Equal(rows, await _panel.CountRowsAsync());
        Assert.Equal(audits, await AuditCountAsync());
        return result;
    }

    [Fact]
    public async Task Preview_KeyCertificateAndChain_DescribesWhatWouldBeImported()
    {
        var result = await PreviewAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey, _pki.Chain) with { Description = "  NAS web  " });

        Assert.True(result.IsSuccess, result.Error);
        var preview = result.Value;
        Assert.Equal(OpenSslHierarchy.LeafName, preview.Leaf.Subject.CommonName);
        Assert.Equal(["DNS:nas.home.arpa", "IP:192.168.1.10"], preview.Leaf.SubjectAlternativeNames.Select(n => n.ToString()));
        Assert.Equal(["CN=OpenSSL Test Intermediate"], preview.Chain.Select(c => c.SubjectText));
        Assert.Equal("NAS web", preview.Description);
        Assert.Equal(ImportKeySource.Files, preview.KeySource);
        Assert.Null(preview.PendingRequestId);
        Assert.False(preview.BringsAuthorityKey);
        Assert.NotEmpty(preview.Lint.Verdicts);
    }

    [Fact]
    public async Task Preview_SelfSignedOpenSslPkcs12_SameVerdictsAsTheStoredCertificate()
    {
        // What `openssl req -x509` makes: CA:TRUE, no extended key usage, the host in the SANs.
        var key = _pki.File("self.key");
        var cert = _pki.File("self.pem");
        var p12 = _pki.File("self.p12");
        Assert.Equal(0, OpenSslHierarchy.Run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", cert, "-days", "30", "-subj", "/CN=box.home.arpa", "-addext", "subjectAltName=DNS:box.home.arpa").ExitCode);
        Assert.Equal(0, OpenSslHierarchy.Run("openssl", "pkcs12", "-export", "-inkey", key, "-in", cert, "-passout", "pass:s3cret", "-out", p12).ExitCode);
        var request = PanelFixture.Files(p12) with { Password = "s3cret" };

        var preview = await PreviewAsync(request);
        var imported = await _panel.Import.ImportAsync(request, "t");

        Assert.True(preview.IsSuccess, preview.Error);
        Assert.True(imported.IsSuccess, imported.Error);
        var details = (await _panel.Inventory.GetAsync(imported.Value.CertificateId)).Value;
        var stored = details.Lint(DateTimeOffset.UtcNow);
        Assert.Equal(preview.Value.Lint.Verdicts.Select(v => (v.Client, v.Accepts)), stored.Verdicts.Select(v => (v.Client, v.Accepts)));
        Assert.Equal(preview.Value.Lint.Findings.Select(f => f.RuleId), stored.Findings.Select(f => f.RuleId));
        Assert.False(stored.Accepts(Pki.Lint.TlsClients.Apple), string.Join(", ", stored.Findings.Select(f => f.RuleId)));
    }

    [Fact]
    public async Task Preview_NoDescription_UsesTheCommonNameLikeTheImport()
    {
        var result = await PreviewAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey, _pki.Chain));

        Assert.Equal(OpenSslHierarchy.LeafName, result.Value.Description);
    }

    [Fact]
    public async Task Preview_CertificateSignedForAPendingRequest_FindsTheRequestsKey()
    {
        var pending = await new RequestService(_panel.Storage, _panel.Time).CreateAsync(Pki.Names.DistinguishedName.Create("csr.home.arpa").Value,
            Pki.Names.SanParser.ParseAll(["csr.home.arpa"]).Value, Pki.Keys.KeyAlgorithm.EcdsaP256, "waiting", "t");
        Assert.True(pending.IsSuccess, pending.Error);
        var csr = await _panel.Export.ExportRequestAsync(pending.Value.Id, RequestExportFormat.Pem, includeKey: false, "t");
        File.WriteAllBytes(_pki.File("pending.csr"), csr.Value.Content);
        File.WriteAllText(_pki.File("pending.ext"), "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:csr.home.arpa\n");
        _pki.Openssl("x509", "-req", "-in", _pki.File("pending.csr"), "-CA", _pki.IntermediateCert, "-CAkey", _pki.IntermediateKey, "-set_serial", "0x1234",
            "-days", "20", "-sha256", "-extfile", _pki.File("pending.ext"), "-out", _pki.File("pending.pem"));

        var result = await PreviewAsync(PanelFixture.Files(_pki.File("pending.pem"), _pki.Chain));

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(pending.Value.Id, result.Value.PendingRequestId);
        Assert.Equal(ImportKeySource.PendingRequest, result.Value.KeySource);
    }

    [Fact]
    public async Task Preview_Pkcs12_WithoutThenWithWrongThenRightPassword()
    {
        _pki.Openssl("pkcs12", "-export", "-inkey", _pki.LeafKey, "-in", _pki.LeafCert, "-certfile", _pki.Chain, "-passout", "pass:right", "-out", _pki.File("p.p12"));
        var request = PanelFixture.Files(_pki.File("p.p12"));

        var missing = await PreviewAsync(request);
        var wrong = await PreviewAsync(request with { Password = "wrong" });
        var right = await PreviewAsync(request with { Password = "right" });

        Assert.Equal(ReadProblem.PassphraseRequired, missing.Problem);
        Assert.Equal(ReadProblem.WrongPassphrase, wrong.Problem);
        Assert.True(right.IsSuccess, right.Error);
        Assert.Single(right.Value.Chain);
    }

    [Fact]
    public async Task Preview_Mismatch_RefusedWithTheImportsMessage()
    {
        var preview = await PreviewAsync(PanelFixture.Files(_pki.LeafCert, _pki.IntermediateKey));
        var import = await _panel.Import.ImportAsync(PanelFixture.Files(_pki.LeafCert, _pki.IntermediateKey), "t");

        Assert.Equal(ReadProblem.Inconsistent, preview.Problem);
        Assert.Equal(import.Error, preview.Error);
    }

    [Fact]
    public async Task Preview_Expired_Refused()
    {
        var later = new ImportService(_panel.Storage, new ShiftedClock(TimeSpan.FromDays(45)));

        var result = await PreviewAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey, _pki.Chain), later);

        Assert.Contains("expired on", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_BrokenChain_Refused()
    {
        var result = await PreviewAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey, _pki.RootCert));

        Assert.Contains("chain is broken", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_NoKeyAnywhere_AsksForTheKeyFile()
    {
        var result = await PreviewAsync(PanelFixture.Files(_pki.LeafCert, _pki.Chain));

        Assert.Contains("Add the key file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_AlreadyImported_NamesTheExistingId()
    {
        var first = await _panel.Import.ImportAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey, _pki.Chain), "t");
        Assert.True(first.IsSuccess, first.Error);

        var result = await PreviewAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey, _pki.Chain));

        Assert.Contains($"already in the inventory as id {first.Value.CertificateId}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_GarbageTruncatedOrOversized_Refused()
    {
        var pem = File.ReadAllBytes(_pki.LeafCert);

        var garbage = await PreviewAsync(new ImportRequest { Files = [new BundleFile("random.crt", Enumerable.Range(0, 700).Select(i => (byte)(i * 31 % 251)).ToArray())] });
        var truncated = await PreviewAsync(new ImportRequest { Files = [new BundleFile("cut.pem", pem.AsMemory(0, pem.Length / 2))] });
        var oversized = await PreviewAsync(new ImportRequest { Files = [new BundleFile("huge.pem", new byte[ImportService.MaxFileBytes + 1])] });

        Assert.Equal(ReadProblem.Damaged, garbage.Problem);
        Assert.Equal(ReadProblem.Damaged, truncated.Problem);
        Assert.Equal(ReadProblem.LimitExceeded, oversized.Problem);
    }

    [Fact]
    public async Task Preview_DescriptionWithLineBreak_Refused()
    {
        var result = await PreviewAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey) with { Description = "two\nlines" });

        Assert.Contains("control character", result.Error, StringComparison.Ordinal);
    }
}
