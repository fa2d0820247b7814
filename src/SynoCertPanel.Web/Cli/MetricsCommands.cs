using System.CommandLine;
using SynoCertPanel.Core.Metrics;

namespace SynoCertPanel.Web.Cli;

/// <summary>`metrics show|enable|disable`: who may read /metrics. A running panel applies a change at its next scrape.</summary>
internal static class MetricsCommands
{
    public static Command Create(CliContext cli)
    {
        var metrics = new Command("metrics", "The Prometheus endpoint /metrics (off by default).");
        metrics.Add(ShowCommand(cli));
        metrics.Add(EnableCommand(cli));
        metrics.Add(DisableCommand(cli));
        return metrics;
    }

    private static Command ShowCommand(CliContext cli)
    {
        var command = new Command("show", "Whether /metrics is on, and who may read it.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            return storage is null
                ? CliContext.Refused
                : await ReportAsync(cli, await new MetricsAccessStore(storage, cli.Time).LoadAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        });
        return command;
    }

    private static Command EnableCommand(CliContext cli)
    {
        var command = new Command("enable", "Turn /metrics on: a token with the metrics:read scope may read it, and so may any client in the --allow ranges without one.");
        var allow = new Option<string[]>("--allow")
        {
            Description = "An address range that may read /metrics without a token (repeat): a network such as 192.168.1.0/24 or fd00::/8, or one address.",
            AllowMultipleArgumentsPerToken = true,
        };
        command.Add(allow);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            return storage is null
                ? CliContext.Refused
                : await ReportAsync(cli, await new MetricsAccessStore(storage, cli.Time)
                    .EnableAsync(string.Join(' ', parse.GetValue(allow) ?? []), cli.Actor, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        });
        return command;
    }

    private static Command DisableCommand(CliContext cli)
    {
        var command = new Command("disable", "Turn /metrics off (it answers 404); the allowed ranges are kept for the next enable.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            return storage is null
                ? CliContext.Refused
                : await ReportAsync(cli, await new MetricsAccessStore(storage, cli.Time).DisableAsync(cli.Actor, cancellationToken).ConfigureAwait(false))
                    .ConfigureAwait(false);
        });
        return command;
    }

    private static Task<int> ReportAsync(CliContext cli, Result<MetricsAccess> access) =>
        cli.ReportAsync(access, a => $"/metrics is {a}.",
            a => new { enabled = a.Enabled, allowedRanges = a.AllowedRanges.Select(r => r.ToString()).ToList() });
}
