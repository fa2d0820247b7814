using System.CommandLine;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Cli;

/// <summary>Where a listed part sits in the whole: <paramref name="Limit"/> null means "all from the offset on".</summary>
public sealed record ListRange(int Total, int Offset, int? Limit);

/// <summary>What every command shares: where to write, the clock, and how to open the data directory.</summary>
public sealed class CliContext(TextWriter output, TextWriter error, TimeProvider time)
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int UsageError = 2;

    /// <summary>An unexpected failure (a bug or the environment), as sysexits.h's EX_SOFTWARE; expected refusals exit 1.</summary>
    public const int Unexpected = 70;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public TimeProvider Time { get; } = time;

    public string Actor { get; } = $"cli:{Environment.UserName}";

    /// <summary>--server and its options, and the commands that work against a remote panel.</summary>
    public Remote.RemoteCli Remote { get; } = new();

    /// <summary>--data DIR on every command; SYNOCERT_DATA or ./data when absent.</summary>
    public Option<string?> DataOption { get; } = new("--data")
    {
        Description = "The data directory (default: $SYNOCERT_DATA or ./data).",
        Recursive = true,
    };

    /// <summary>--json on every command: exactly one JSON object on stdout, also for failures.</summary>
    public Option<bool> JsonOption { get; } = new("--json")
    {
        Description = "Print one JSON object on stdout (for failures: { \"error\": ... }).",
        Recursive = true,
    };

    /// <summary>Whether this invocation asked for --json; set once the arguments are parsed.</summary>
    public bool Json { get; set; }

    public string DataDirectory(ParseResult parse) =>
        parse.GetValue(DataOption) is { Length: > 0 } data ? data : Environment.GetEnvironmentVariable("SYNOCERT_DATA") is { Length: > 0 } env ? env : "data";

    public async Task<PanelStorage?> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var opened = await PanelStorage.OpenAsync(new DataDirectory(DataDirectory(parse)), cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            await FailAsync(opened.Error!).ConfigureAwait(false);
            return null;
        }

        return opened.Value;
    }

    public Task<int> ReportAsync<T>(Result<T> result, Func<T, string> describe) =>
        ReportAsync(result, describe, value => new { message = describe(value) });

    /// <summary>Prints the outcome: <paramref name="describe"/> for people, <paramref name="json"/> with --json.</summary>
    public async Task<int> ReportAsync<T>(Result<T> result, Func<T, string> describe, Func<T, object> json)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentNullException.ThrowIfNull(json);
        if (!result.IsSuccess)
        {
            return await FailAsync(result.Error!).ConfigureAwait(false);
        }

        foreach (var warning in result.Warnings)
        {
            await Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        await Output.WriteLineAsync(Json ? CliJson.Serialize(json(result.Value)) : describe(result.Value)).ConfigureAwait(false);
        return Ok;
    }

    /// <summary>A list: one line per item for people, { "items": [...] } with --json.</summary>
    public Task<int> ListAsync<T>(IEnumerable<T> items, Func<T, string> describe, Func<T, object> json) =>
        ListAsync(items, describe, json, page: null);

    /// <summary>A list that may be refused (an unknown id): the refusal as any other, else the list.</summary>
    public async Task<int> ListAsync<T>(Result<IReadOnlyList<T>> result, Func<T, string> describe, Func<T, object> json)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.IsSuccess
            ? await ListAsync(result.Value, describe, json, page: null).ConfigureAwait(false)
            : await FailAsync(result.Error!).ConfigureAwait(false);
    }

    /// <summary>A part of a longer list: with --json, { "items": [...], "total", "offset", "limit" } so a script can tell whether it has all.</summary>
    public async Task<int> ListAsync<T>(IEnumerable<T> items, Func<T, string> describe, Func<T, object> json, ListRange? page)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (Json)
        {
            var list = items.Select(json).ToList();
            await Output.WriteLineAsync(CliJson.Serialize(page is null ? new { items = list }
                : new { items = list, total = page.Total, offset = page.Offset, limit = page.Limit })).ConfigureAwait(false);
            return Ok;
        }

        foreach (var item in items)
        {
            await Output.WriteLineAsync(describe(item)).ConfigureAwait(false);
        }

        return Ok;
    }

    public Task<int> FailAsync(string message) => FailAsync(message, Refused);

    /// <summary>The one-line reason on stderr, and with --json also { "error": ... } on stdout.</summary>
    public async Task<int> FailAsync(string message, int exitCode)
    {
        await Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        if (Json)
        {
            await Output.WriteLineAsync(CliJson.Serialize(new { error = message })).ConfigureAwait(false);
        }

        return exitCode;
    }
}
