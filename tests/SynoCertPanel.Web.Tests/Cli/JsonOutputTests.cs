using System.Text.Json;

namespace SynoCertPanel.Web.Tests.Cli;

public sealed class JsonOutputTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-json-").FullName;

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task CertCreate_Json_PrintsOneObjectWithTheIds()
    {
        var result = await CliRun.RunAsync("cert", "create", "--cn", "nas.lan", "--san", "192.168.1.2", "--key", "p256", "--json", "--data", Data);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(2, json.RootElement.GetProperty("id").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("certificateId").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("authorityId").GetInt32());
    }

    [Fact]
    public async Task CsrCreate_Json_NamesTheRequestAndTheFile()
    {
        var file = Path.Combine(_root, "nas.csr");
        var result = await CliRun.RunAsync("csr", "create", "--cn", "nas.lan", "--key", "p256", "--out", file, "--json", "--data", Data);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(json.RootElement.GetProperty("id").GetInt32(), json.RootElement.GetProperty("requestId").GetInt32());
        Assert.Equal(file, json.RootElement.GetProperty("file").GetString());
    }

    [Fact]
    public async Task CertList_Json_PrintsItems()
    {
        await CliRun.RunAsync("cert", "create", "--cn", "nas.lan", "--key", "p256", "--data", Data);

        var result = await CliRun.RunAsync("cert", "list", "--json", "--data", Data);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var items = json.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Contains(items, i => i.GetProperty("description").GetString() == "nas.lan");
    }

    [Fact]
    public async Task CaList_JsonWithNone_PrintsEmptyItems()
    {
        var result = await CliRun.RunAsync("ca", "list", "--json", "--data", Data);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"items\":[]}", result.Output.Trim());
    }

    [Theory]
    [InlineData(new[] { "cert", "show", "77" }, 1, "There is no certificate with id 77")]
    [InlineData(new[] { "cert", "create", "--cn", "nas.lan", "--days", "900" }, 1, "at most 825 days")]
    [InlineData(new[] { "cert", "list", "--no-such-option" }, 1, "--no-such-option")]
    public async Task Failure_Json_PrintsErrorObjectWithTheSameExitCode(string[] args, int exitCode, string expected)
    {
        var plain = await CliRun.RunAsync([.. args, "--data", Data]);
        var result = await CliRun.RunAsync([.. args, "--json", "--data", Data]);

        Assert.Equal(exitCode, plain.ExitCode);
        Assert.Equal(exitCode, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Contains(expected, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertCreate_WithoutJson_KeepsTheSentence()
    {
        var result = await CliRun.RunAsync("cert", "create", "--cn", "nas.lan", "--key", "p256", "--data", Data);

        Assert.Equal("Created root CA 1 and certificate 2", result.Output.Trim());
    }
}
