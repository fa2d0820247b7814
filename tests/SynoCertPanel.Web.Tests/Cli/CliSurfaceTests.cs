using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>The command surface scripts rely on: every command has --help, and --data falls back to $SYNOCERT_DATA, then ./data.</summary>
public sealed class CliSurfaceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-cli-surface-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("health")]
    [InlineData("ca", "create")]
    [InlineData("ca", "list")]
    [InlineData("cert", "create")]
    [InlineData("cert", "import")]
    [InlineData("cert", "export")]
    [InlineData("cert", "list")]
    [InlineData("cert", "show")]
    [InlineData("cert", "edit")]
    [InlineData("cert", "set-default")]
    [InlineData("cert", "delete")]
    [InlineData("csr", "create")]
    [InlineData("csr", "sign")]
    [InlineData("lint")]
    [InlineData("backup")]
    [InlineData("restore")]
    [InlineData("reset-tls")]
    [InlineData("admin", "reset-password")]
    [InlineData("token", "create")]
    [InlineData("token", "list")]
    [InlineData("token", "revoke")]
    [InlineData("alert", "add")]
    [InlineData("alert", "list")]
    [InlineData("alert", "edit")]
    [InlineData("box", "edit")]
    [InlineData("alert", "test")]
    [InlineData("alert", "delete")]
    [InlineData("alert", "history")]
    [InlineData("acme", "enable")]
    [InlineData("acme", "update")]
    [InlineData("acme", "disable")]
    [InlineData("acme", "show")]
    [InlineData("acme", "eab", "create")]
    [InlineData("acme", "eab", "list")]
    [InlineData("acme", "eab", "revoke")]
    [InlineData("acme", "accounts")]
    [InlineData("acme", "orders")]
    [InlineData("acme", "resolve")]
    public async Task Help_EveryCommand_PrintsUsageWithDataAndJsonAndExitsZero(params string[] command)
    {
        var result = await CliRun.RunAsync([.. command, "--help"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        Assert.Contains($" {string.Join(' ', command)} ", result.Output, StringComparison.Ordinal);
        Assert.Contains("--data", result.Output, StringComparison.Ordinal);
        Assert.Contains("--json", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task DataDirectory_FromEnvironmentThenWorkingDirectory_WhenNoDataOption()
    {
        var fromEnvironment = Path.Combine(_root, "from-env");
        var withEnvironment = CliProcess.StartInfo(["cert", "create", "--cn", "nas.home.arpa", "--key", "p256"]);
        withEnvironment.Environment["SYNOCERT_DATA"] = fromEnvironment;
        var withoutEither = CliProcess.StartInfo(["cert", "create", "--cn", "nas.home.arpa", "--key", "p256"]);
        withoutEither.Environment.Remove("SYNOCERT_DATA");
        withoutEither.WorkingDirectory = _root;

        var first = await CliProcess.RunAsync(withEnvironment);
        var second = await CliProcess.RunAsync(withoutEither);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.True(File.Exists(Path.Combine(fromEnvironment, DataDirectory.DatabaseFileName)));
        Assert.True(File.Exists(Path.Combine(_root, "data", DataDirectory.DatabaseFileName)));
    }
}
