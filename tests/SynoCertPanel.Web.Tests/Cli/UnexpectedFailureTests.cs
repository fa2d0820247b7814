using System.Text.Json;
using SynoCertPanel.Web.Cli;

namespace SynoCertPanel.Web.Tests.Cli;

public sealed class UnexpectedFailureTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-crash-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string DataThatIsAFile()
    {
        var file = Path.Combine(_root, "not-a-directory");
        File.WriteAllText(file, "x");
        return file;
    }

    [Fact]
    public async Task DataDirectoryIsAFile_PrintsOneLineAndExitsSeventy()
    {
        var result = await CliRun.RunAsync("cert", "list", "--data", DataThatIsAFile());

        Assert.Equal(CliContext.Unexpected, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(" at ", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task DataDirectoryIsAFile_WritesTheStackTraceToTheLog()
    {
        var result = await CliRun.RunAsync("cert", "list", "--data", DataThatIsAFile());

        var log = result.Error.Split("details in ")[1].TrimEnd().TrimEnd(')');
        Assert.EndsWith("synocertpanel-cli.log", log, StringComparison.Ordinal);
        Assert.Contains(" at ", File.ReadAllText(log), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataDirectoryIsAFile_Json_PrintsErrorObject()
    {
        var result = await CliRun.RunAsync("cert", "list", "--json", "--data", DataThatIsAFile());

        Assert.Equal(CliContext.Unexpected, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("error").GetString()));
    }
}
