using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Formats.Containers;

namespace SynoCertPanel.Core.Tests;

/// <summary>Every import format, each file written by the real openssl (or, for archive.zip, by our writer).</summary>
public sealed class ImportFormatTests : IAsyncLifetime
{
    private PanelFixture _panel = null!;
    private OpenSslHierarchy _pki = null!;

    public async Task InitializeAsync()
    {
        _panel = await PanelFixture.CreateAsync();
        _pki = OpenSslHierarchy.Create(Path.Combine(_panel.Path, "pki"));
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task Import_SeparatePemFiles_StoredWithKeyChainAndCommonNameDescription()
    {
        var result = await _panel.Import.ImportAsync(PanelFixture.Files(_pki.LeafKey, _pki.LeafCert, _pki.Chain), "t");

        Assert.True(result.IsSuccess, result.Error);
        var details = (await _panel.Inventory.GetAsync(result.Value.CertificateId)).Value;
        Assert.Equal(OpenSslHierarchy.LeafName, details.Summary.Description);
        Assert.Equal(CertificateSource.Imported, details.Summary.Source);
        Assert.True(details.Summary.HasPrivateKey);
        Assert.Equal("CN=OpenSSL Test Intermediate", Assert.Single(details.Chain).SubjectText);
        Assert.Null(result.Value.AuthorityId);
        Assert.Equal(AuditOutcome.Succeeded, (await _panel.LastAuditAsync()).Outcome);
    }

    [Fact]
    public async Task Import_OnePemHoldingEverything_Stored()
    {
        var all = _pki.File("all.pem");
        File.WriteAllText(all, File.ReadAllText(_pki.IntermediateCert) + File.ReadAllText(_pki.LeafKey) + File.ReadAllText(_pki.LeafCert)
            + File.ReadAllText(_pki.RootCert));

        var result = await _panel.Import.ImportAsync(PanelFixture.Files(all) with { Description = "everything in one" }, "t");

        Assert.True(result.IsSuccess, result.Error);
        var details = (await _panel.Inventory.GetAsync(result.Value.CertificateId)).Value;
        Assert.Equal("everything in one", details.Summary.Description);
        Assert.Equal(["CN=OpenSSL Test Intermediate", "CN=OpenSSL Test Root"], details.Chain.Select(c => c.SubjectText));
    }

    [Fact]
    public async Task Import_DerFilesWithoutExtensions_DetectedFromContent()
    {
        var cert = _pki.File("cert-blob");
        var key = _pki.File("key-blob");
        var chain = _pki.File("chain-blob");
        _pki.Openssl("x509", "-in", _pki.LeafCert, "-outform", "DER", "-out", cert);
        _pki.Openssl("pkey", "-in", _pki.LeafKey, "-outform", "DER", "-out", key);
        _pki.Openssl("x509", "-in", _pki.IntermediateCert, "-outform", "DER", "-out", chain);

        var result = await _panel.Import.ImportAsync(PanelFixture.Files(cert, key, chain), "t");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Single((await _panel.Inventory.GetAsync(result.Value.CertificateId)).Value.Chain);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Import_OpenSslPkcs12_ModernAndLegacy_Stored(bool legacy)
    {
        var p12 = _pki.File(legacy ? "legacy.bin" : "modern.bin");
        string[] args = ["pkcs12", "-export", "-inkey", _pki.LeafKey, "-in", _pki.LeafCert, "-certfile", _pki.Chain, "-passout", "pass:s3cret", "-out", p12];
        _pki.Openssl(legacy ? [.. args, "-legacy"] : args);

        var result = await _panel.Import.ImportAsync(PanelFixture.Files(p12) with { Password = "s3cret" }, "t");

        Assert.True(result.IsSuccess, result.Error);
        Assert.True((await _panel.Inventory.GetAsync(result.Value.CertificateId)).Value.Summary.HasPrivateKey);
    }

    [Fact]
    public async Task Import_OpenSslPkcs7WithKeyFile_Stored()
    {
        var p7b = _pki.File("chain.p7b");
        _pki.Openssl("crl2pkcs7", "-nocrl", "-certfile", _pki.LeafCert, "-certfile", _pki.IntermediateCert, "-outform", "DER", "-out", p7b);

        var result = await _panel.Import.ImportAsync(PanelFixture.Files(p7b, _pki.LeafKey), "t");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Single((await _panel.Inventory.GetAsync(result.Value.CertificateId)).Value.Chain);
    }

    [Fact]
    public async Task Import_OpenSslPkcs7Alone_KeyAlreadyHeld_ReusesTheKey()
    {
        Assert.True((await _panel.Import.ImportAsync(PanelFixture.Files(_pki.LeafKey, _pki.LeafCert, _pki.Chain), "t")).IsSuccess);
        var renewed = _pki.File("renewed.pem");
        _pki.Openssl("x509", "-req", "-in", _pki.File("leaf.csr"), "-CA", _pki.IntermediateCert, "-CAkey", _pki.IntermediateKey, "-set_serial", "0x7777",
            "-days", "20", "-extfile", _pki.File("leaf.ext"), "-out", renewed);
        var p7b = _pki.File("renewed.p7b");
        _pki.Openssl("crl2pkcs7", "-nocrl", "-certfile", renewed, "-certfile", _pki.IntermediateCert, "-out", p7b);

        var result = await _panel.Import.ImportAsync(PanelFixture.Files(p7b), "t");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal((2, 1, 0, 0), await _panel.CountRowsAsync());
    }

    [Fact]
    public async Task Import_SynologyZipWithCaKey_RegistersTheCaWhichCanIssue()
    {
        var leaf = Pki.Certificates.Certificate.FromDer(PemReader.ReadAll(File.ReadAllBytes(_pki.LeafCert)).Value[0].Data).Value;
        var intermediate = CertificateReader.ReadOne(File.ReadAllBytes(_pki.IntermediateCert)).Value;
        var root = CertificateReader.ReadOne(File.ReadAllBytes(_pki.RootCert)).Value;
        var zip = SynologyArchiveWriter.WriteCertificate(leaf, PrivateKeyReader.Read(File.ReadAllBytes(_pki.LeafKey)).Value, [intermediate, root],
            PrivateKeyReader.Read(File.ReadAllBytes(_pki.IntermediateKey)).Value);
        File.WriteAllBytes(_pki.File("archive"), zip);

        var result = await _panel.Import.ImportAsync(PanelFixture.Files(_pki.File("archive")), "t");

        Assert.True(result.IsSuccess, result.Error);
        Assert.NotNull(result.Value.AuthorityId);
        var authority = Assert.Single(await new AuthorityService(_panel.Storage, _panel.Time).ListAsync());
        Assert.Equal("CN=OpenSSL Test Intermediate", authority.Subject);
        Assert.Equal(1, authority.IssuedCount);
        var issued = await new AuthorityService(_panel.Storage, _panel.Time).IssueAsync(authority.Id, new Pki.Issuance.LeafOptions
        {
            Subject = Pki.Names.DistinguishedName.Create("nas2.home.arpa").Value,
            KeyAlgorithm = Pki.Keys.KeyAlgorithm.EcdsaP256,
        }, "", setAsDefault: false, "t");
        Assert.True(issued.IsSuccess, issued.Error);
    }

    [Fact]
    public async Task Import_CaCertificateWithItsKey_RegisteredAsAuthority()
    {
        var result = await _panel.Import.ImportAsync(PanelFixture.Files(_pki.RootCert, _pki.RootKey), "t");

        Assert.True(result.IsSuccess, result.Error);
        Assert.NotNull(result.Value.AuthorityId);
        Assert.Equal((1, 1, 1, 0), await _panel.CountRowsAsync());
    }

    [Fact]
    public async Task Import_LintFindings_ReturnedAsWarnings()
    {
        var ext = _pki.File("cn-only.ext");
        File.WriteAllText(ext, "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n");
        var cert = _pki.File("cn-only.pem");
        _pki.Openssl("x509", "-req", "-in", _pki.File("leaf.csr"), "-CA", _pki.IntermediateCert, "-CAkey", _pki.IntermediateKey, "-set_serial", "0x4242",
            "-days", "20", "-extfile", ext, "-out", cert);

        var result = await _panel.Import.ImportAsync(PanelFixture.Files(cert, _pki.LeafKey, _pki.Chain), "t");

        Assert.True(result.IsSuccess, result.Error);
        Assert.True(result.Value.Lint.HasErrors);
        Assert.Contains(result.Warnings, w => w.Contains("e_sub_cert_san_missing", StringComparison.Ordinal));
        Assert.Single(result.Value.Lint.FindingsFor("e_sub_cert_san_missing"));
    }
}
