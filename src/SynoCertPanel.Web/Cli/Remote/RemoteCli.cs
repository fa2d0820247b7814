using System.CommandLine;
using System.Globalization;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>What a command does against a remote panel: the same arguments, the API instead of the data directory.</summary>
internal delegate Task<int> RemoteAction(ParseResult parse, RemotePanel panel, CancellationToken cancellationToken);

/// <summary>
/// <c>--server URL --token-file FILE</c> on every command, and the commands that can run against a remote panel over
/// /api/v1. A command works remotely once it registers here (<see cref="Add"/>); any other refuses with --server and
/// names those that work, so a script never changes this machine's data directory while meaning a remote panel.
/// </summary>
public sealed class RemoteCli
{
    /// <summary>Long enough for a NAS under load to sign a certificate; short enough that a script waiting on a dead link notices.</summary>
    public const int DefaultTimeoutSeconds = 30;

    public const int MaxTimeoutSeconds = 600;

    private readonly List<(string Name, Command Command, RemoteAction Action)> _commands = [];

    public Option<string?> Server { get; } = new("--server")
    {
        Description = "Run the command against the panel at this https:// address over its API, instead of a data directory here.",
        Recursive = true,
    };

    public Option<string?> TokenFile { get; } = new("--token-file")
    {
        Description = "With --server: a file holding an API token (Settings page or `token create`), readable by you alone (chmod 600).",
        Recursive = true,
    };

    public Option<string?> CaCertificate { get; } = new("--cacert")
    {
        Description = "With --server: trust the server if this CA (PEM or DER; the panel's trust page has it) signed its certificate "
            + "(default: the system's trusted CAs).",
        Recursive = true,
    };

    public Option<string?> Fingerprint { get; } = new("--fingerprint")
    {
        Description = "With --server: trust the server only if it serves the certificate with this SHA-256 fingerprint "
            + "(AA:BB:… as the trust page writes fingerprints, colons optional; `cert show` on the panel prints it).",
        Recursive = true,
    };

    public Option<int?> Timeout { get; } = new("--timeout")
    {
        Description = string.Create(CultureInfo.InvariantCulture,
            $"With --server: seconds to wait for each answer (1 to {MaxTimeoutSeconds}, default {DefaultTimeoutSeconds})."),
        Recursive = true,
    };

    public IEnumerable<Option> Options => [Server, TokenFile, CaCertificate, Fingerprint, Timeout];

    /// <summary>The commands that work with --server, as typed ("cert list"), in the order they were added.</summary>
    public IReadOnlyList<string> CommandNames => [.. _commands.Select(c => c.Name)];

    /// <summary>Makes <paramref name="command"/> work against a remote panel: with --server, <paramref name="action"/> runs instead of its own.</summary>
    internal void Add(string name, Command command, RemoteAction action) => _commands.Add((name, command, action));

    /// <summary>Says in --help which commands work remotely; call once every command is added.</summary>
    internal void DescribeCommands() => Server.Description += $" Works for: {string.Join(", ", CommandNames)}.";

    /// <summary>
    /// Runs the parsed command against the remote panel when --server was given: its exit code, or null when the command
    /// runs here as usual (no --server; or help and parse errors, which System.CommandLine prints).
    /// </summary>
    internal async Task<int?> TryRunAsync(CliContext cli, ParseResult parse, CancellationToken cancellationToken)
    {
        var server = parse.GetValue(Server);
        if (server is null)
        {
            var stray = Options.Skip(1).FirstOrDefault(o => parse.GetResult(o) is not null);
            return stray is null ? null
                : await cli.FailAsync($"{stray.Name} goes with --server (the panel to call); without it the command works on the data directory here.",
                    CliContext.UsageError).ConfigureAwait(false);
        }

        var command = parse.CommandResult.Command;
        if (parse.Errors.Count > 0 || parse.Action is null || !ReferenceEquals(parse.Action, command.Action))
        {
            return null;
        }

        var registered = _commands.FirstOrDefault(c => ReferenceEquals(c.Command, command));
        if (registered.Action is null)
        {
            return await cli.FailAsync($"`{Path(command)}` works on the data directory here only; with --server these work: {string.Join(", ", CommandNames)}.",
                CliContext.UsageError).ConfigureAwait(false);
        }

        if (parse.GetResult(cli.DataOption) is not null)
        {
            return await cli.FailAsync("--data and --server do not go together: the command works either on a data directory here or on the panel at --server.",
                CliContext.UsageError).ConfigureAwait(false);
        }

        var settings = RemoteSettings.Parse(server, parse.GetValue(TokenFile), parse.GetValue(CaCertificate), parse.GetValue(Fingerprint), parse.GetValue(Timeout));
        if (!settings.IsSuccess)
        {
            return await cli.FailAsync(settings.Error!, CliContext.UsageError).ConfigureAwait(false);
        }

        var opened = RemotePanel.Open(settings.Value);
        if (!opened.IsSuccess)
        {
            return await cli.FailAsync(opened.Error!).ConfigureAwait(false);
        }

        using var panel = opened.Value;
        return await registered.Action(parse, panel, cancellationToken).ConfigureAwait(false);
    }

    private static string Path(Command command)
    {
        var names = new List<string> { command.Name };
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null and not RootCommand;
             parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, parent.Name);
        }

        return string.Join(' ', names);
    }
}
