using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>A throw-away data directory and the command line run against it in this process.</summary>
public sealed class CliDataDirectory : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("synocert-cli-").FullName;

    public string Data => Path.Combine(Root, "data");

    public string File(string name) => Path.Combine(Root, name);

    public Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => CliRun.RunAsync([.. args, "--data", Data]);

    public async Task<JsonElement> RunJsonAsync(params string[] args)
    {
        var result = await RunAsync([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.Clone();
    }

    /// <summary>An expected refusal: exit 1, one line on stderr naming the reason, no stack trace.</summary>
    public static void AssertRefused((int ExitCode, string Output, string Error) result, string expected)
    {
        Assert.Equal(Web.Cli.CliContext.Refused, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}
