using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Formats.Containers;

namespace SynoCertPanel.Core.Tests;

/// <summary>Every export read back by openssl and by our own importer, and every key export audited.</summary>
public sealed class ExportServiceTests : IAsyncLifetime
{
    private const string Password = "export-pw";
    private PanelFixture _panel = null!;
    private SelfSignedResult _created = null!;

    public async Task InitializeAsync()
    {
        _panel = await PanelFixture.CreateAsync();
        _created = (await _panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa", "192.168.1.10") with { Description = "NAS 1 / main: ü" }, "t")).Value;
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private string Write(ExportedFile file)
    {
        var path = Path.Combine(_panel.Path, file.FileName);
        File.WriteAllBytes(path, file.Content);
        return path;
    }

    private async Task<ExportedFile> ExportAsync(ExportFormat format, bool includeKey = false, string? password = null)
    {
        var result = await _panel.Export.ExportAsync(_created.CertificateId, format, new ExportOptions { IncludeKey = includeKey, Password = password }, "t");
        Assert.True(result.IsSuccess, result.Error);
        return result.Value;
    }

    private static string OpenSsl(params string[] arguments)
    {
        var (exitCode, output) = OpenSslHierarchy.Run("openssl", arguments);
        Assert.True(exitCode == 0, output);
        return output;
    }

    [Theory]
    [InlineData(ExportFormat.Pem, "NAS_1_main_u.pem", new[] { "x509", "-noout", "-subject", "-in" }, "nas1.home.arpa")]
    [InlineData(ExportFormat.Der, "NAS_1_main_u.cer", new[] { "x509", "-inform", "DER", "-noout", "-subject", "-in" }, "nas1.home.arpa")]
    [InlineData(ExportFormat.Chain, "NAS_1_main_u-chain.pem", new[] { "x509", "-noout", "-subject", "-in" }, "nas1.home.arpa Root CA")]
    [InlineData(ExportFormat.P7b, "NAS_1_main_u.p7b", new[] { "pkcs7", "-inform", "DER", "-print_certs", "-noout", "-in" }, "Root CA")]
    public async Task Export_CertificateFormat_ReadByOpenSsl(ExportFormat format, string fileName, string[] command, string expected)
    {
        var file = await ExportAsync(format);

        Assert.Equal(fileName, file.FileName);
        Assert.False(file.ContainsKey);
        Assert.Contains(expected, OpenSsl([.. command, Write(file)]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_FullChain_VerifiesWithOpenSslStrict()
    {
        var file = Write(await ExportAsync(ExportFormat.FullChain));
        var root = Write(await ExportAsync(ExportFormat.Chain));

        OpenSsl("verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "nas1.home.arpa", "-CAfile", root, file);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Password)]
    public async Task Export_Key_OpenSslChecksIt(string? password)
    {
        var file = await ExportAsync(ExportFormat.Key, includeKey: true, password);

        Assert.True(file.ContainsKey);
        var path = Write(file);
        Assert.Contains(password is null ? "BEGIN PRIVATE KEY" : "BEGIN ENCRYPTED PRIVATE KEY", File.ReadAllText(path), StringComparison.Ordinal);
        OpenSsl(["pkey", "-check", "-noout", "-in", path, .. password is null ? Array.Empty<string>() : ["-passin", "pass:" + password]]);
    }

    [Theory]
    [InlineData(ExportFormat.Pfx, false)]
    [InlineData(ExportFormat.PfxLegacy, true)]
    public async Task Export_Pkcs12_OpenSslOpensItWithTheKey(ExportFormat format, bool legacy)
    {
        var path = Write(await ExportAsync(format, includeKey: true, Password));

        string[] info = ["pkcs12", "-info", "-in", path, "-passin", "pass:" + Password, "-nodes"];
        var output = OpenSsl(legacy ? [.. info, "-legacy"] : info);

        Assert.Contains("BEGIN PRIVATE KEY", output, StringComparison.Ordinal);
        Assert.Contains(legacy ? "pbeWithSHA1And3-KeyTripleDES-CBC" : "AES-256-CBC", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_SynologyZip_HasDsmLayoutAndCaKeyOnlyWhenAsked()
    {
        var plain = await ExportAsync(ExportFormat.SynologyZip, includeKey: true);
        var withCa = await _panel.Export.ExportAsync(_created.CertificateId, ExportFormat.SynologyZip,
            new ExportOptions { IncludeKey = true, IncludeCaKey = true }, "t");

        Assert.Null(Assert.IsType<SynologyCertificateArchive>(SynologyArchiveReader.Read(plain.Content).Value).CaKey);
        Assert.True(withCa.IsSuccess, withCa.Error);
        Assert.NotNull(Assert.IsType<SynologyCertificateArchive>(SynologyArchiveReader.Read(withCa.Value.Content).Value).CaKey);
        await using var db = _panel.Storage.CreateContext();
        Assert.Contains(await db.AuditEvents.Where(a => a.Action == "certificate.export-key").Select(a => a.Detail).ToListAsync(),
            d => d == "synology-zip with the CA key");
    }

    [Theory]
    [InlineData(ExportFormat.SynologyZip, false)]
    [InlineData(ExportFormat.Pfx, false)]
    [InlineData(ExportFormat.PfxLegacy, false)]
    [InlineData(ExportFormat.Pem, true)]
    [InlineData(ExportFormat.Der, true)]
    [InlineData(ExportFormat.FullChain, true)]
    [InlineData(ExportFormat.P7b, true)]
    public async Task Export_ThenImportIntoAnotherPanel_RoundTrips(ExportFormat format, bool withKeyFile)
    {
        var file = await ExportAsync(format, includeKey: ExportFormats.ContainsKey(format), Password);
        var key = await ExportAsync(ExportFormat.Key, includeKey: true);
        await using var other = await PanelFixture.CreateAsync();
        List<BundleFile> files = [new(file.FileName, file.Content)];
        if (withKeyFile)
        {
            files.Add(new(key.FileName, key.Content));
        }

        var imported = await other.Import.ImportAsync(new ImportRequest { Files = files, Password = Password }, "t");

        Assert.True(imported.IsSuccess, imported.Error);
        var original = (await _panel.Inventory.GetAsync(_created.CertificateId)).Value.Certificate;
        Assert.Equal(original, (await other.Inventory.GetAsync(imported.Value.CertificateId)).Value.Certificate);
        Assert.True((await other.Inventory.SetDefaultAsync(imported.Value.CertificateId, "t")).IsSuccess);
    }

    [Fact]
    public async Task Export_KeyFormats_AuditedAsKeyExports()
    {
        await ExportAsync(ExportFormat.Key, includeKey: true);
        await ExportAsync(ExportFormat.Pfx, includeKey: true, Password);
        await ExportAsync(ExportFormat.Pem);

        await using var db = _panel.Storage.CreateContext();
        var exports = await db.AuditEvents.Where(a => a.Action.StartsWith("certificate.export")).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["certificate.export-key", "certificate.export-key", "certificate.export"], exports.Select(a => a.Action));
        Assert.All(exports, a => Assert.Equal(_created.CertificateId, a.CertificateId));
    }

    [Theory]
    [InlineData(ExportFormat.Key, false, null, "ask for the key explicitly")]
    [InlineData(ExportFormat.Pfx, true, null, "give a password")]
    [InlineData(ExportFormat.PfxLegacy, true, "", "give a password")]
    public async Task Export_WithoutIntentOrPassword_RefusedAndAudited(ExportFormat format, bool includeKey, string? password, string expected)
    {
        var result = await _panel.Export.ExportAsync(_created.CertificateId, format, new ExportOptions { IncludeKey = includeKey, Password = password }, "t");

        Assert.False(result.IsSuccess);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        var audit = await _panel.LastAuditAsync();
        Assert.Equal(AuditOutcome.Refused, audit.Outcome);
        Assert.Equal("certificate.export-key", audit.Action);
    }

    [Fact]
    public async Task Export_KeyOfCertificateSignedForAnotherBox_Refused()
    {
        var csr = Pki.Issuance.CertificateIssuer.CreateSigningRequest(Pki.Names.DistinguishedName.Create("box2.home.arpa").Value, [],
            Pki.Keys.KeyGenerator.Generate(Pki.Keys.KeyAlgorithm.EcdsaP256)).Value;
        var signed = (await new SigningService(_panel.Storage, _panel.Time).SignAsync(_created.AuthorityId, csr, new(), "", "t")).Value;

        var key = await _panel.Export.ExportAsync(signed.CertificateId, ExportFormat.Pfx, new ExportOptions { IncludeKey = true, Password = "x" }, "t");
        var pem = await _panel.Export.ExportAsync(signed.CertificateId, ExportFormat.FullChain, new ExportOptions(), "t");

        Assert.False(key.IsSuccess);
        Assert.Contains("not held here", key.Error, StringComparison.Ordinal);
        Assert.True(pem.IsSuccess, pem.Error);
    }

    [Fact]
    public async Task ExportRequest_ZipAndPem_DsmLayoutAndCsr()
    {
        var pending = (await new RequestService(_panel.Storage, _panel.Time).CreateAsync(Pki.Names.DistinguishedName.Create("box2.home.arpa").Value, [],
            Pki.Keys.KeyAlgorithm.EcdsaP256, "", "t")).Value;

        var zip = await _panel.Export.ExportRequestAsync(pending.Id, RequestExportFormat.Zip, includeKey: true, "t");
        var pem = await _panel.Export.ExportRequestAsync(pending.Id, RequestExportFormat.Pem, includeKey: false, "t");
        var refused = await _panel.Export.ExportRequestAsync(pending.Id, RequestExportFormat.Zip, includeKey: false, "t");

        Assert.IsType<SynologyRequestArchive>(SynologyArchiveReader.Read(zip.Value.Content).Value);
        Assert.Equal("box2.home.arpa-csr.zip", zip.Value.FileName);
        Assert.Contains("box2.home.arpa", OpenSsl("req", "-noout", "-verify", "-subject", "-in", Write(pem.Value)), StringComparison.Ordinal);
        Assert.False(refused.IsSuccess);
    }
}
