using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>Crafted files fed to the command line: each is refused with a sentence, exit code 1, and nothing stored.</summary>
public sealed class HostileInputCommandTests : IDisposable
{
    private const string UnknownOid = "1.3.6.1.4.1.55555.7.1";

    private readonly string _root = Directory.CreateTempSubdirectory("synocert-cli-hostile-").FullName;
    private readonly OpenSslHierarchy _pki;

    public HostileInputCommandTests() => _pki = OpenSslHierarchy.Create(Path.Combine(_root, "pki"));

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<int> StoredCertificatesAsync()
    {
        SqliteConnection.ClearAllPools();
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;
        await using var db = storage.CreateContext();
        return await db.Certificates.CountAsync();
    }

    [Fact]
    public async Task Lint_UnknownCriticalExtension_EveryClientRejects()
    {
        var leaf = _pki.IssueLeaf("critical", $"{UnknownOid}=critical,DER:05:00");
        var bundle = _pki.File("critical-bundle.pem");
        File.WriteAllText(bundle, File.ReadAllText(leaf) + File.ReadAllText(_pki.IntermediateCert));

        var result = await CliRun.RunAsync("lint", bundle, "--host", OpenSslHierarchy.LeafName);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error   e_ext_unknown_critical: The server certificate marks the extension {UnknownOid} critical", result.Output, StringComparison.Ordinal);
        var verdicts = result.Output[result.Output.IndexOf("Clients:", StringComparison.Ordinal)..].Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.NotEmpty(verdicts);
        Assert.All(verdicts, v => Assert.Contains("rejects (", v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CertImport_UnknownCriticalExtension_RefusedNamingTheOidNothingStored()
    {
        var leaf = _pki.IssueLeaf("critical", $"{UnknownOid}=critical,DER:05:00");
        var good = await CliRun.RunAsync("cert", "import", "--cert", _pki.LeafCert, "--key", _pki.LeafKey, "--chain", _pki.Chain, "--data", Data);
        Assert.True(good.ExitCode == 0, good.Error);

        var result = await CliRun.RunAsync("cert", "import", "--cert", leaf, "--key", _pki.File("critical.key"), "--chain", _pki.Chain, "--data", Data);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"The certificate marks the extension {UnknownOid} critical", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, await StoredCertificatesAsync());
    }

    [Fact]
    public async Task CertImport_ArchiveWithSymlinkEntry_RefusedNothingStored()
    {
        var zip = _pki.File("hostile.zip");
        using (var buffer = new MemoryStream())
        {
            buffer.Write(_pki.SynologyZip(_pki.LeafCert, _pki.LeafKey));
            using (var archive = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
            {
                var link = archive.CreateEntry("chain.pem");
                link.ExternalAttributes = 0xA1FF << 16;
                using var stream = link.Open();
                stream.Write("/etc/ssl/certs/ca-certificates.crt"u8);
            }

            File.WriteAllBytes(zip, buffer.ToArray());
        }

        var good = await CliRun.RunAsync("ca", "list", "--data", Data);
        Assert.True(good.ExitCode == 0, good.Error);

        var result = await CliRun.RunAsync("cert", "import", "--archive", zip, "--data", Data);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"chain.pem\" is a symbolic link", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await StoredCertificatesAsync());
    }

    [Theory]
    [InlineData("http://nas.home.arpa/", "URI:http://nas.home.arpa/")]
    [InlineData("admin@nas.home.arpa", "email:admin@nas.home.arpa")]
    public async Task CertCreate_UriOrEmailSan_RefusedWithSentence(string san, string shown)
    {
        var result = await CliRun.RunAsync("cert", "create", "--cn", "nas.home.arpa", "--san", san, "--key", "p256", "--data", Data);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Server certificates carry DNS names and IP addresses only; remove \"{shown}\".", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await StoredCertificatesAsync());
    }

    [Fact]
    public async Task CsrSign_ExplicitCurveParameters_RefusedWithReasonNothingStored()
    {
        var created = await CliRun.RunAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256", "--data", Data);
        Assert.True(created.ExitCode == 0, created.Error);
        _pki.Openssl("ecparam", "-name", "prime256v1", "-param_enc", "explicit", "-genkey", "-noout", "-out", _pki.File("explicit.key"));
        _pki.Openssl("req", "-new", "-key", _pki.File("explicit.key"), "-subj", "/CN=box.home.arpa", "-addext", "subjectAltName=DNS:box.home.arpa",
            "-out", _pki.File("explicit.csr"));
        var before = await StoredCertificatesAsync();

        var result = await CliRun.RunAsync("csr", "sign", _pki.File("explicit.csr"), "--out", _pki.File("signed.pem"), "--data", Data);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("gives its curve as explicit parameters instead of naming it", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_pki.File("signed.pem")));
        Assert.Equal(before, await StoredCertificatesAsync());
    }

    [Fact]
    public async Task CsrSign_RequestAskingForUriAndEmailNames_IssuesDnsNamesOnlyAndSaysWhatWasLeftOut()
    {
        var created = await CliRun.RunAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256", "--data", Data);
        Assert.True(created.ExitCode == 0, created.Error);
        _pki.Openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", _pki.File("names.key"),
            "-subj", "/CN=box.home.arpa", "-addext", "subjectAltName=DNS:box.home.arpa,URI:https://evil.example/,email:admin@evil.example",
            "-out", _pki.File("names.csr"));

        var result = await CliRun.RunAsync("csr", "sign", _pki.File("names.csr"), "--out", _pki.File("signed.pem"), "--data", Data, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        var names = _pki.Openssl("x509", "-in", _pki.File("signed.pem"), "-noout", "-ext", "subjectAltName");
        Assert.Contains("DNS:box.home.arpa", names, StringComparison.Ordinal);
        Assert.DoesNotContain("URI:", names, StringComparison.Ordinal);
        Assert.DoesNotContain("email:", names, StringComparison.Ordinal);
        Assert.Contains("warning: Not copied from the request: Alternative name URI:https://evil.example/: server certificates carry DNS names and IP addresses only.",
            result.Error, StringComparison.Ordinal);
        Assert.Contains("Alternative name email:admin@evil.example:", result.Error, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        Assert.Equal(2, json.RootElement.GetProperty("notCopied").GetArrayLength());
    }
}
