using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Formats;

namespace SynoCertPanel.Core.Tests;

/// <summary>
/// Crafted files that parse but that clients must refuse: each is refused on import in every container, with a
/// sentence that says what is wrong, and nothing of it is stored.
/// </summary>
public sealed class HostileImportTests : IAsyncLifetime
{
    /// <summary>A private OID no client knows.</summary>
    private const string UnknownOid = "1.3.6.1.4.1.55555.7.1";

    private PanelFixture _panel = null!;
    private OpenSslHierarchy _pki = null!;

    public async Task InitializeAsync()
    {
        _panel = await PanelFixture.CreateAsync();
        _pki = OpenSslHierarchy.Create(Path.Combine(_panel.Path, "pki"));
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private async Task<ReadResult<ImportedCertificate>> RefusedAsync(ImportRequest request)
    {
        var before = await _panel.CountRowsAsync();
        var preview = await _panel.Import.PreviewAsync(request);
        var result = await _panel.Import.ImportAsync(request, "t");

        Assert.False(preview.IsSuccess);
        Assert.False(result.IsSuccess);
        Assert.Equal(preview.Error, result.Error);
        Assert.Equal(before, await _panel.CountRowsAsync());
        var audit = await _panel.LastAuditAsync();
        Assert.Equal(AuditOutcome.Refused, audit.Outcome);
        return result;
    }

    private (int ExitCode, string Output) OpensslVerify(string leaf) =>
        PanelFixture.Run("openssl", "verify", "-x509_strict", "-CAfile", _pki.RootCert, "-untrusted", _pki.IntermediateCert, leaf);

    [Fact]
    public async Task Import_LeafWithUnknownCriticalExtension_RefusedNamingTheOidInEveryContainer()
    {
        var leaf = _pki.IssueLeaf("critical", $"{UnknownOid}=critical,DER:05:00");
        _pki.Openssl("pkcs12", "-export", "-inkey", _pki.File("critical.key"), "-in", leaf, "-certfile", _pki.Chain, "-passout", "pass:x",
            "-out", _pki.File("critical.p12"));
        Assert.Contains("unhandled critical extension", OpensslVerify(leaf).Output, StringComparison.Ordinal);

        var loose = await RefusedAsync(PanelFixture.Files(leaf, _pki.File("critical.key"), _pki.Chain));
        var pkcs12 = await RefusedAsync(PanelFixture.Files(_pki.File("critical.p12")) with { Password = "x" });
        var zip = await RefusedAsync(new ImportRequest { Files = [new BundleFile("archive.zip", _pki.SynologyZip(leaf, _pki.File("critical.key")))] });

        foreach (var refused in new[] { loose, pkcs12, zip })
        {
            Assert.Equal(ReadProblem.Unsupported, refused.Problem);
            Assert.StartsWith($"The certificate marks the extension {UnknownOid} critical", refused.Error, StringComparison.Ordinal);
            Assert.Contains("RFC 5280", refused.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Import_LeafWithUnknownExtensionNotCritical_Imported()
    {
        var leaf = _pki.IssueLeaf("noncritical", $"{UnknownOid}=DER:05:00");
        Assert.Equal(0, OpensslVerify(leaf).ExitCode);

        var result = await _panel.Import.ImportAsync(PanelFixture.Files(leaf, _pki.File("noncritical.key"), _pki.Chain), "t");

        Assert.True(result.IsSuccess, result.Error);
        Assert.DoesNotContain(result.Value.Lint.Findings, f => f.RuleId == "e_ext_unknown_critical");
    }

    [Fact]
    public async Task Import_IssuerWithUnknownCriticalExtension_RefusedNamingTheIssuer()
    {
        var ext = _pki.File("bad-intermediate.ext");
        File.WriteAllText(ext, "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n"
            + $"authorityKeyIdentifier=keyid\n{UnknownOid}=critical,DER:05:00\n");
        _pki.Openssl("x509", "-req", "-in", _pki.File("intermediate.csr"), "-CA", _pki.RootCert, "-CAkey", _pki.RootKey, "-set_serial", "0x4242",
            "-days", "30", "-extfile", ext, "-out", _pki.File("bad-intermediate.pem"));

        var refused = await RefusedAsync(PanelFixture.Files(_pki.LeafCert, _pki.LeafKey, _pki.File("bad-intermediate.pem")));

        Assert.StartsWith("Its issuer \"CN=OpenSSL Test Intermediate\" marks the extension", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_CertificateWithExplicitCurveParameters_RefusedSayingSoNotAsKeyMismatch()
    {
        _pki.Openssl("ecparam", "-name", "prime256v1", "-param_enc", "explicit", "-genkey", "-noout", "-out", _pki.File("explicit.key"));
        var leaf = _pki.IssueLeaf("explicit", string.Empty, _pki.File("explicit.key"));
        Assert.NotEqual(0, OpensslVerify(leaf).ExitCode);

        var loose = await RefusedAsync(PanelFixture.Files(leaf, _pki.File("explicit.key"), _pki.Chain));
        var zip = await RefusedAsync(new ImportRequest { Files = [new BundleFile("archive.zip", _pki.SynologyZip(leaf, _pki.File("explicit.key")))] });

        foreach (var refused in new[] { loose, zip })
        {
            Assert.DoesNotContain("does not belong", refused.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("is not the key", refused.Error, StringComparison.Ordinal);
            Assert.Contains("gives its EC key's curve as explicit parameters instead of naming it", refused.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Import_ZipWithSymlinkEntry_RefusedAsAWholeNothingStored()
    {
        using var buffer = new MemoryStream();
        buffer.Write(_pki.SynologyZip(_pki.LeafCert, _pki.LeafKey));
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            var link = zip.CreateEntry("chain.pem");
            link.ExternalAttributes = 0xA1FF << 16;
            using var stream = link.Open();
            stream.Write("/etc/ssl/certs/ca-certificates.crt"u8);
        }

        var refused = await RefusedAsync(new ImportRequest { Files = [new BundleFile("archive.zip", buffer.ToArray())] });

        Assert.Equal(ReadProblem.Damaged, refused.Problem);
        Assert.Contains("\"chain.pem\" is a symbolic link", refused.Error, StringComparison.Ordinal);
    }
}
