using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>
/// Issue 3's seed scenario through the command line in two data directories, each result checked by OpenSSL and
/// by curl over real TLS, by name and by IP (127.0.0.2 is loopback on Linux too).
/// </summary>
public sealed class SeedScenarioTlsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-seed-").FullName;

    private string Box1 => Path.Combine(_root, "box1");

    private string Box2 => Path.Combine(_root, "box2");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private string File(string name) => Path.Combine(_root, name);

    private static async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await CliRun.RunAsync([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result.Error}");
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.Clone();
    }

    private async Task ExportAsync(string box, int id, string prefix)
    {
        await JsonAsync("cert", "export", $"{id}", "--format", "pem", "--out", File($"{prefix}.pem"), "--data", box);
        await JsonAsync("cert", "export", $"{id}", "--format", "chain", "--out", File($"{prefix}-chain.pem"), "--data", box);
        await JsonAsync("cert", "export", $"{id}", "--format", "key", "--include-key", "--out", File($"{prefix}.key"), "--data", box);
    }

    [Fact]
    public async Task SeedScenario_TwoBoxes_BothCertificatesServeTlsByNameAndIp()
    {
        var own = await JsonAsync("cert", "create", "--cn", "nas1.home.arpa", "--san", "127.0.0.1", "--key", "p256", "--data", Box1);
        await JsonAsync("csr", "create", "--cn", "nas2.home.arpa", "--san", "127.0.0.2", "--key", "p256", "--out", File("nas2.csr"), "--data", Box2);
        await JsonAsync("csr", "sign", File("nas2.csr"), "--out", File("signed.crt"), "--data", Box1);
        var imported = await JsonAsync("cert", "import", "--cert", File("signed.crt"), "--data", Box2);

        Assert.Equal(JsonValueKind.Number, imported.GetProperty("requestId").ValueKind);
        await ExportAsync(Box1, own.GetProperty("id").GetInt32(), "nas1");
        await ExportAsync(Box2, imported.GetProperty("id").GetInt32(), "nas2");
        var root = File("nas1-chain.pem");
        Assert.Equal(System.IO.File.ReadAllText(root), System.IO.File.ReadAllText(File("nas2-chain.pem")));
        foreach (var (host, address) in new[] { ("nas1.home.arpa", "127.0.0.1"), ("nas2.home.arpa", "127.0.0.2") })
        {
            var prefix = host.Split('.')[0];
            var verify = await CliProcess.RunToolAsync("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", host, "-verify_ip", address,
                "-CAfile", root, File($"{prefix}.pem"));
            Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);

            await using var server = await TlsServer.StartAsync(address, File($"{prefix}.pem"), File($"{prefix}-chain.pem"), File($"{prefix}.key"));
            var byName = await CliProcess.RunToolAsync("curl", "-sS", "--fail", "--max-time", "10", "--cacert", root,
                "--resolve", $"{host}:{server.Port}:{address}", $"https://{host}:{server.Port}/");
            var byIp = await CliProcess.RunToolAsync("curl", "-sS", "--fail", "--max-time", "10", "--cacert", root, $"https://{address}:{server.Port}/");
            Assert.True(byName.ExitCode == 0, $"{host}: {byName.Error}");
            Assert.True(byIp.ExitCode == 0, $"{address}: {byIp.Error}");
            Assert.Contains("s_server", byName.Output, StringComparison.Ordinal);
        }
    }
}
