using SynoCertPanel.Core.Tests;
using SynoCertPanel.Web.Tests.Cli;

namespace SynoCertPanel.Web.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-cli-").FullName;

    private string Data1 => Path.Combine(_root, "data1");

    private string Data2 => Path.Combine(_root, "data2");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task SeedScenario_CaCertCsrSign_ProducesChainsOpenSslVerifies()
    {
        var ca = await CliRun.RunAsync("ca", "create", "--cn", "Home Root", "--key", "p256", "--permit-dns", "home.arpa", "--permit-ip", "127.0.0.0/8", "--data", Data1);
        var cert = await CliRun.RunAsync("cert", "create", "--cn", "nas1.home.arpa", "--san", "127.0.0.1", "--key", "p256", "--set-default", "--data", Data1);
        var csrFile = Path.Combine(_root, "nas2.csr");
        var csr = await CliRun.RunAsync("csr", "create", "--cn", "nas2.home.arpa", "--san", "127.0.0.2", "--key", "p256", "--out", csrFile, "--data", Data2);
        var crtFile = Path.Combine(_root, "nas2.crt");
        var sign = await CliRun.RunAsync("csr", "sign", csrFile, "--out", crtFile, "--data", Data1);
        var list = await CliRun.RunAsync("cert", "list", "--data", Data1);

        Assert.True(ca.ExitCode == 0, ca.Error);
        Assert.True(cert.ExitCode == 0, cert.Error);
        Assert.True(csr.ExitCode == 0, csr.Error);
        Assert.True(sign.ExitCode == 0, sign.Error);
        Assert.Contains("*", list.Output, StringComparison.Ordinal);
        Assert.Contains("DNS:nas1.home.arpa,IP:127.0.0.1", list.Output, StringComparison.Ordinal);
        Assert.Contains("DNS:nas2.home.arpa,IP:127.0.0.2", list.Output, StringComparison.Ordinal);

        var chain = File.ReadAllText(crtFile);
        var blocks = chain.Split("-----END CERTIFICATE-----", StringSplitOptions.RemoveEmptyEntries).Where(b => b.Contains("BEGIN", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, blocks.Count);
        var leafFile = Path.Combine(_root, "leaf.pem");
        var rootFile = Path.Combine(_root, "root.pem");
        File.WriteAllText(leafFile, blocks[0].Trim() + "\n-----END CERTIFICATE-----\n");
        File.WriteAllText(rootFile, blocks[1].Trim() + "\n-----END CERTIFICATE-----\n");
        var verify = OpenSslHierarchy.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "nas2.home.arpa", "-CAfile", rootFile, leafFile);
        Assert.True(verify.ExitCode == 0, verify.Output);
    }

    [Fact]
    public async Task CertCreate_NoCaHeld_CreatesRootAndCertificate()
    {
        var result = await CliRun.RunAsync("cert", "create", "--cn", "nas.lan", "--san", "192.168.1.2", "--key", "p256", "--data", Data1);
        var cas = await CliRun.RunAsync("ca", "list", "--data", Data1);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Created root CA", result.Output, StringComparison.Ordinal);
        Assert.Contains("nas.lan Root CA", cas.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "cert", "create", "--cn", "nas.lan", "--san", "256.1.1.1" }, "256.1.1.1")]
    [InlineData(new[] { "cert", "create", "--cn", "nas.lan", "--key", "rsa1024" }, "Unknown key type")]
    [InlineData(new[] { "cert", "create", "--cn", "nas.lan", "--days", "900" }, "at most 825 days")]
    [InlineData(new[] { "ca", "create", "--cn", "Root", "--permit-ip", "10.0.0.1/8" }, "bits set after the prefix")]
    [InlineData(new[] { "cert", "show", "77" }, "There is no certificate with id 77")]
    [InlineData(new[] { "cert", "delete", "77" }, "There is no certificate with id 77")]
    public async Task BadInput_ExitsOneWithMessage(string[] args, string expected)
    {
        var result = await CliRun.RunAsync([.. args, "--data", Data1]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsrSign_GarbageFile_RefusedWithMessage()
    {
        await CliRun.RunAsync("ca", "create", "--cn", "Root", "--key", "p256", "--data", Data1);
        var garbage = Path.Combine(_root, "garbage.csr");
        File.WriteAllText(garbage, "-----BEGIN CERTIFICATE REQUEST-----\nnot base64 at all!\n-----END CERTIFICATE REQUEST-----\n");

        var result = await CliRun.RunAsync("csr", "sign", garbage, "--out", Path.Combine(_root, "x.crt"), "--data", Data1);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("invalid base64", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "x.crt")));
    }

    [Fact]
    public async Task AnyCommand_KeyFileMissing_NamesTheFile()
    {
        await CliRun.RunAsync("cert", "create", "--cn", "nas.lan", "--key", "p256", "--data", Data1);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(Path.Combine(Data1, "key-encryption.key"));

        var result = await CliRun.RunAsync("cert", "list", "--data", Data1);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(Path.Combine(Data1, "key-encryption.key"), result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_NothingListening_ExitsOne()
    {
        var result = await CliRun.RunAsync("health", "--https-port", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not answer", result.Error, StringComparison.Ordinal);
    }
}
