using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Formats;

namespace SynoCertPanel.Core.Tests;

/// <summary>Each bad upload is refused with a message, stores nothing, and leaves a refusal in the audit log.</summary>
public sealed class ImportRefusalTests : IAsyncLifetime
{
    private PanelFixture _panel = null!;
    private OpenSslHierarchy _pki = null!;

    public async Task InitializeAsync()
    {
        _panel = await PanelFixture.CreateAsync();
        _pki = OpenSslHierarchy.Create(Path.Combine(_panel.Path, "pki"));
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private async Task<ReadResult<ImportedCertificate>> RefusedAsync(ImportRequest request, ImportService? service = null)
    {
        var before = await _panel.CountRowsAsync();
        var result = await (service ?? _panel.Import).ImportAsync(request, "t");

        Assert.False(result.IsSuccess);
        Assert.Equal(before, await _panel.CountRowsAsync());
        var audit = await _panel.LastAuditAsync();
        Assert.Equal(AuditOutcome.Refused, audit.Outcome);
        Assert.Equal("certificate.import", audit.Action);
        return result;
    }

    private static ImportRequest Bytes(string name, byte[] data) => new() { Files = [new BundleFile(name, data)] };

    [Fact]
    public async Task Import_KeyOfAnotherCertificate_RefusedAsMismatch()
    {
        var result = await RefusedAsync(PanelFixture.Files(_pki.LeafCert, _pki.IntermediateKey));

        Assert.Equal(ReadProblem.Inconsistent, result.Problem);
        Assert.Contains("does not belong", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Expired_Refused()
    {
        var later = new ImportService(_panel.Storage, new ShiftedClock(TimeSpan.FromDays(45)));

        var result = await RefusedAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey, _pki.Chain), later);

        Assert.Contains("expired on", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_IntermediateMissing_RefusedAsBrokenChain()
    {
        var result = await RefusedAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey, _pki.RootCert));

        Assert.Equal(ReadProblem.Inconsistent, result.Problem);
        Assert.Contains("chain is broken", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Pkcs12WithoutPassword_AsksForIt()
    {
        _pki.Openssl("pkcs12", "-export", "-inkey", _pki.LeafKey, "-in", _pki.LeafCert, "-passout", "pass:right", "-out", _pki.File("p.p12"));

        var missing = await RefusedAsync(PanelFixture.Files(_pki.File("p.p12")));
        var wrong = await RefusedAsync(PanelFixture.Files(_pki.File("p.p12")) with { Password = "wrong" });

        Assert.Equal(ReadProblem.PassphraseRequired, missing.Problem);
        Assert.Equal(ReadProblem.WrongPassphrase, wrong.Problem);
        Assert.Contains("password is wrong", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_EncryptedKeyWithoutPassphrase_AsksForIt()
    {
        _pki.Openssl("pkcs8", "-topk8", "-in", _pki.LeafKey, "-passout", "pass:right", "-out", _pki.File("enc.key"));

        var result = await RefusedAsync(PanelFixture.Files(_pki.LeafCert, _pki.File("enc.key")));

        Assert.Equal(ReadProblem.PassphraseRequired, result.Problem);
    }

    [Fact]
    public async Task Import_SameCertificateTwice_NamesTheExistingId()
    {
        var first = await _panel.Import.ImportAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey, _pki.Chain), "t");
        Assert.True(first.IsSuccess, first.Error);

        var result = await RefusedAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey, _pki.Chain));

        Assert.Contains($"already in the inventory as id {first.Value.CertificateId}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_NoKeyAnywhere_AsksForTheKeyFile()
    {
        var result = await RefusedAsync(PanelFixture.Files(_pki.LeafCert, _pki.Chain));

        Assert.Contains("Add the key file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Garbage_Refused()
    {
        var result = await RefusedAsync(Bytes("random.crt", [.. Enumerable.Range(0, 700).Select(i => (byte)((i * 7919) % 251))]));

        Assert.Equal(ReadProblem.Damaged, result.Problem);
    }

    [Fact]
    public async Task Import_TruncatedPem_Refused()
    {
        var pem = File.ReadAllBytes(_pki.LeafCert);

        var result = await RefusedAsync(Bytes("cut.pem", pem[..(pem.Length / 2)]));

        Assert.Equal(ReadProblem.Damaged, result.Problem);
    }

    [Fact]
    public async Task Import_TruncatedPkcs12_Refused()
    {
        _pki.Openssl("pkcs12", "-export", "-inkey", _pki.LeafKey, "-in", _pki.LeafCert, "-passout", "pass:x", "-out", _pki.File("p.p12"));
        var p12 = File.ReadAllBytes(_pki.File("p.p12"));

        await RefusedAsync(Bytes("cut.p12", p12[..(p12.Length - 40)]) with { Password = "x" });
    }

    [Fact]
    public async Task Import_Oversized_RefusedUnread()
    {
        var result = await RefusedAsync(Bytes("huge.pem", new byte[ImportService.MaxFileBytes + 1]));

        Assert.Equal(ReadProblem.LimitExceeded, result.Problem);
    }

    [Fact]
    public async Task Import_DeeplyNestedDer_Refused()
    {
        var nested = Enumerable.Repeat<byte[]>([0x30, 0x80], 5000).SelectMany(b => b).ToArray();

        var result = await RefusedAsync(Bytes("nested.der", nested));

        Assert.NotEqual(ReadProblem.None, result.Problem);
    }

    [Fact]
    public async Task Import_ZipHoldingARequest_Refused()
    {
        var zip = await new ExportFixtures(_panel).RequestZipAsync();

        var result = await RefusedAsync(Bytes("archive.zip", zip));

        Assert.Contains("signing request", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ZipBesideOtherFiles_Refused()
    {
        var zip = await new ExportFixtures(_panel).RequestZipAsync();

        var result = await RefusedAsync(new ImportRequest { Files = [new BundleFile("archive.zip", zip), PanelFixture.Upload(_pki.LeafKey)] });

        Assert.Contains("give it alone", result.Error, StringComparison.Ordinal);
    }
}

/// <summary>The system clock moved by a fixed amount: a certificate made now looks expired from the future.</summary>
public sealed class ShiftedClock(TimeSpan shift) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
}

/// <summary>Exports made through the service, for tests that need one as input.</summary>
public sealed class ExportFixtures(PanelFixture panel)
{
    public async Task<byte[]> RequestZipAsync()
    {
        var pending = await new RequestService(panel.Storage, panel.Time).CreateAsync(Pki.Names.DistinguishedName.Create("csr.home.arpa").Value, [],
            Pki.Keys.KeyAlgorithm.EcdsaP256, "", "t");
        return (await panel.Export.ExportRequestAsync(pending.Value.Id, RequestExportFormat.Zip, includeKey: true, "t")).Value.Content;
    }
}
