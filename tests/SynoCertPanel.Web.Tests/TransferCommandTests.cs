using SynoCertPanel.Core.Tests;
using SynoCertPanel.Web.Cli;

namespace SynoCertPanel.Web.Tests;

/// <summary>`cert import`, `cert export` and `lint` through the real command line, on files openssl wrote.</summary>
public sealed class TransferCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-cli-transfer-").FullName;
    private readonly OpenSslHierarchy _pki;

    public TransferCommandTests() => _pki = OpenSslHierarchy.Create(Path.Combine(_root, "pki"));

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PanelCommandLine.RunAsync(args, output, error, TimeProvider.System);
        return (exit, output.ToString(), error.ToString());
    }

    private string PasswordFile(string password)
    {
        var path = Path.Combine(_root, "pw.txt");
        File.WriteAllText(path, password + "\n");
        return path;
    }

    [Fact]
    public async Task CertImport_SeparateFiles_ThenPfxExportOwnerOnlyAndReadByOpenSsl()
    {
        var imported = await RunAsync("cert", "import", "--cert", _pki.LeafCert, "--key", _pki.LeafKey, "--chain", _pki.Chain, "--data", Data);
        var pfx = Path.Combine(_root, "nas.pfx");
        File.WriteAllText(pfx, "an older, world-readable file in the way");
        var exported = await RunAsync("cert", "export", "1", "--format", "pfx", "--include-key", "--password-file", PasswordFile("pw"), "--out", pfx, "--data", Data);

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("Imported certificate 1", imported.Output, StringComparison.Ordinal);
        Assert.True(exported.ExitCode == 0, exported.Error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
        var info = OpenSslHierarchy.Run("openssl", "pkcs12", "-info", "-in", pfx, "-passin", "pass:pw", "-nodes");
        Assert.True(info.ExitCode == 0, info.Output);
        Assert.Contains("BEGIN PRIVATE KEY", info.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertImport_OpenSslPfxAndArchiveRoundTrip_Imported()
    {
        var p12 = _pki.File("legacy.p12");
        _pki.Openssl("pkcs12", "-export", "-legacy", "-inkey", _pki.LeafKey, "-in", _pki.LeafCert, "-certfile", _pki.Chain, "-passout", "pass:pw", "-out", p12);
        var fromPfx = await RunAsync("cert", "import", "--pfx", p12, "--password-file", PasswordFile("pw"), "--data", Data);
        var zip = Path.Combine(_root, "archive.zip");
        var exported = await RunAsync("cert", "export", "1", "--format", "synology-zip", "--include-key", "--out", zip, "--data", Data);
        var fromZip = await RunAsync("cert", "import", "--archive", zip, "--data", Path.Combine(_root, "data2"));

        Assert.True(fromPfx.ExitCode == 0, fromPfx.Error);
        Assert.True(exported.ExitCode == 0, exported.Error);
        Assert.True(fromZip.ExitCode == 0, fromZip.Error);
    }

    [Fact]
    public async Task CertImport_SignedCsrWithoutKey_MatchesPendingRequest()
    {
        var box1 = Path.Combine(_root, "box1");
        await RunAsync("cert", "create", "--cn", "nas1.home.arpa", "--key", "p256", "--data", box1);
        var csr = Path.Combine(_root, "nas2.csr");
        var crt = Path.Combine(_root, "nas2.crt");
        await RunAsync("csr", "create", "--cn", "nas2.home.arpa", "--san", "192.168.1.11", "--key", "p256", "--out", csr, "--data", Data);
        await RunAsync("csr", "sign", csr, "--out", crt, "--data", box1);

        var imported = await RunAsync("cert", "import", "--cert", crt, "--data", Data);
        var setDefault = await RunAsync("cert", "set-default", "1", "--data", Data);

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("the key of pending request 1", imported.Output, StringComparison.Ordinal);
        Assert.True(setDefault.ExitCode == 0, setDefault.Error);
    }

    [Fact]
    public async Task Lint_GoodChainWithHost_ReportsEveryClientAccepting()
    {
        var bundle = _pki.File("bundle.pem");
        File.WriteAllText(bundle, File.ReadAllText(_pki.LeafCert) + File.ReadAllText(_pki.IntermediateCert));

        var result = await RunAsync("lint", bundle, "--host", "192.168.1.10");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("Chrome   accepts", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("rejects", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_CommonNameOnly_ExitsOneWithRuleAndRejectingClients()
    {
        var ext = _pki.File("cn-only.ext");
        File.WriteAllText(ext, "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n");
        var cert = _pki.File("cn-only.pem");
        _pki.Openssl("x509", "-req", "-in", _pki.File("leaf.csr"), "-CA", _pki.IntermediateCert, "-CAkey", _pki.IntermediateKey, "-set_serial", "0x99",
            "-days", "20", "-extfile", ext, "-out", cert);

        var result = await RunAsync("lint", cert, "--host", OpenSslHierarchy.LeafName);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error   e_sub_cert_san_missing", result.Output, StringComparison.Ordinal);
        Assert.Contains("rejected by: Chrome", result.Output, StringComparison.Ordinal);
        Assert.Contains("Chrome   rejects (", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "cert", "import" }, "exactly one of --cert, --archive or --pfx")]
    [InlineData(new[] { "cert", "import", "--cert", "GARBAGE" }, "neither PEM nor")]
    [InlineData(new[] { "cert", "import", "--cert", "HUGE" }, "at most 1024 KiB")]
    [InlineData(new[] { "cert", "import", "--cert", "MISSING" }, "does not exist")]
    [InlineData(new[] { "cert", "import", "--pfx", "GARBAGE", "--key", "GARBAGE" }, "--key and --chain go with --cert")]
    [InlineData(new[] { "cert", "export", "1", "--format", "pfx", "--include-key", "--out", "OUT" }, "give a password")]
    [InlineData(new[] { "cert", "export", "1", "--format", "synology-zip", "--out", "OUT" }, "ask for the key explicitly")]
    [InlineData(new[] { "cert", "export", "1", "--format", "jks", "--out", "OUT" }, "Unknown export format")]
    [InlineData(new[] { "cert", "export", "9", "--format", "pem", "--out", "OUT" }, "There is no certificate with id 9")]
    [InlineData(new[] { "lint", "GARBAGE" }, "neither PEM nor")]
    public async Task BadInput_ExitsOneWithMessage(string[] args, string expected)
    {
        await RunAsync("cert", "import", "--cert", _pki.LeafCert, "--key", _pki.LeafKey, "--chain", _pki.Chain, "--data", Data);
        File.WriteAllBytes(Path.Combine(_root, "GARBAGE"), [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 31))]);
        File.WriteAllBytes(Path.Combine(_root, "HUGE"), new byte[2 * 1024 * 1024]);
        var resolved = args.Select(a => a is "GARBAGE" or "HUGE" or "MISSING" or "OUT" ? Path.Combine(_root, a) : a).ToArray();

        var result = await RunAsync([.. resolved, "--data", Data]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "OUT")));
    }
}
