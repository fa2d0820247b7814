using System.CommandLine;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Cli;

/// <summary>What every command shares: where to write, the clock, and how to open the data directory.</summary>
public sealed class CliContext(TextWriter output, TextWriter error, TimeProvider time)
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int UsageError = 2;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public TimeProvider Time { get; } = time;

    public string Actor { get; } = $"cli:{Environment.UserName}";

    /// <summary>--data DIR on every command; SYNOCERT_DATA or ./data when absent.</summary>
    public Option<string?> DataOption { get; } = new("--data")
    {
        Description = "The data directory (default: $SYNOCERT_DATA or ./data).",
        Recursive = true,
    };

    public string DataDirectory(ParseResult parse) =>
        parse.GetValue(DataOption) is { Length: > 0 } data ? data : Environment.GetEnvironmentVariable("SYNOCERT_DATA") is { Length: > 0 } env ? env : "data";

    public async Task<PanelStorage?> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var opened = await PanelStorage.OpenAsync(new DataDirectory(DataDirectory(parse)), cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            await Error.WriteLineAsync(opened.Error).ConfigureAwait(false);
            return null;
        }

        return opened.Value;
    }

    public async Task<int> ReportAsync<T>(Result<T> result, Func<T, string> describe)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(describe);
        if (!result.IsSuccess)
        {
            await Error.WriteLineAsync($"error: {result.Error}").ConfigureAwait(false);
            return Refused;
        }

        foreach (var warning in result.Warnings)
        {
            await Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        await Output.WriteLineAsync(describe(result.Value)).ConfigureAwait(false);
        return Ok;
    }

    public async Task<int> FailAsync(string message)
    {
        await Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        return Refused;
    }
}
