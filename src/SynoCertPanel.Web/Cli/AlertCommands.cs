using System.CommandLine;
using System.Globalization;
using System.Text;
using SynoCertPanel.Core.Alerts;

namespace SynoCertPanel.Web.Cli;

/// <summary>`alert add|list|edit|test|enable|disable|delete|history`: where alerts about boxes go, and what was sent.</summary>
internal static class AlertCommands
{
    public static Command Create(CliContext cli)
    {
        var channels = AlertChannels.Standard(cli.Time);
        var alert = new Command("alert", "Alert channels (ntfy, Gotify, webhook, e-mail): one message per state change of a watched endpoint, and per failed deploy.");
        alert.Add(AddCommand(cli, channels));
        alert.Add(ListCommand(cli, channels));
        alert.Add(TestCommand(cli, channels));
        alert.Add(AlertEditCommand.Create(cli, channels));
        alert.Add(EnableCommand(cli, channels, enable: true));
        alert.Add(EnableCommand(cli, channels, enable: false));
        alert.Add(DeleteCommand(cli, channels));
        alert.Add(HistoryCommand(cli, channels));
        return alert;
    }

    private static Command AddCommand(CliContext cli, AlertChannels channels)
    {
        var command = new Command("add", "Add an alert channel; its secret (token, signing secret, password) only from a file, sealed, never shown again.");
        var name = new Argument<string>("NAME") { Description = $"A name for the channel (up to {AlertRules.MaxNameLength} letters, digits, spaces, dots, dashes, underscores)." };
        var kind = new Option<string>("--channel")
        {
            Description = $"The kind of channel: {string.Join(", ", channels.All.Select(c => c.Kind.Name()))}.",
            Required = true,
        };
        command.Add(name);
        command.Add(kind);
        var channelOptions = ChannelOptions(channels);
        foreach (var option in channelOptions.Values)
        {
            command.Add(option.Option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var values = await ReadOptionsAsync(parse, channelOptions, cancellationToken).ConfigureAwait(false);
            if (!values.IsSuccess)
            {
                return await cli.FailAsync(values.Error!).ConfigureAwait(false);
            }

            var (settings, secrets) = values.Value;
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var added = await new AlertService(storage, channels, cli.Time).AddAsync(new AlertChannelDraft
            {
                Name = parse.GetValue(name),
                Channel = parse.GetValue(kind),
                Settings = settings,
                Secrets = secrets,
            }, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(added, c => $"Added alert channel {c.Id} \"{c.Name}\" ({c.Kind}). Send a test with: alert test {c.Id}", Json)
                .ConfigureAwait(false);
        });
        return command;
    }

    private static Command ListCommand(CliContext cli, AlertChannels channels)
    {
        var command = new Command("list", "List the alert channels with their settings (never a secret).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var list = await new AlertService(storage, channels, cli.Time).ListAsync(cancellationToken).ConfigureAwait(false);
            return await cli.ListAsync(list, c => string.Create(CultureInfo.InvariantCulture,
                $"{c.Id}\t{c.Name}\t{c.Kind}\t{(c.Enabled ? "enabled" : "disabled")}\t{string.Join(" ", c.Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={Pki.Display.Literal(s.Value, 100)}").Concat(c.SecretsSet.Select(s => $"{s}=(set)")))}"),
                Json).ConfigureAwait(false);
        });
        return command;
    }

    private static Command TestCommand(CliContext cli, AlertChannels channels)
    {
        var command = new Command("test", "Send a test message to the channel now (the page's \"Send test\"); exits non-zero with the reason when it does not arrive.");
        var channel = new Argument<string>("CHANNEL") { Description = "The channel's id or name." };
        command.Add(channel);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var sent = await new AlertService(storage, channels, cli.Time).SendTestAsync(parse.GetValue(channel)!, cli.Actor, cancellationToken).ConfigureAwait(false);
            if (sent.IsSuccess && sent.Value.Outcome != Core.Storage.AlertSendOutcome.Sent)
            {
                return await cli.FailAsync($"The test message to {sent.Value.ChannelName} was not delivered. {sent.Value.Error}").ConfigureAwait(false);
            }

            return await cli.ReportAsync(sent, e => $"Sent a test message to {e.ChannelName}: \"{e.Subject}\".", HistoryJson).ConfigureAwait(false);
        });
        return command;
    }

    private static Command EnableCommand(CliContext cli, AlertChannels channels, bool enable)
    {
        var command = new Command(enable ? "enable" : "disable",
            enable ? "Send alerts to the channel again." : "Stop sending alerts to the channel; its settings are kept and `alert test` still works.");
        var channel = new Argument<string>("CHANNEL") { Description = "The channel's id or name." };
        command.Add(channel);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var changed = await new AlertService(storage, channels, cli.Time).SetEnabledAsync(parse.GetValue(channel)!, enable, cli.Actor, cancellationToken)
                .ConfigureAwait(false);
            return await cli.ReportAsync(changed, c => $"Alert channel {c.Id} \"{c.Name}\" is {(enable ? "enabled" : "disabled")}.", Json).ConfigureAwait(false);
        });
        return command;
    }

    private static Command DeleteCommand(CliContext cli, AlertChannels channels)
    {
        var command = new Command("delete", "Remove an alert channel and its secrets; the messages sent to it stay in the history.");
        var channel = new Argument<string>("CHANNEL") { Description = "The channel's id or name." };
        command.Add(channel);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var deleted = await new AlertService(storage, channels, cli.Time).DeleteAsync(parse.GetValue(channel)!, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(deleted, c => $"Deleted alert channel {c.Id} \"{c.Name}\".", Json).ConfigureAwait(false);
        });
        return command;
    }

    private static Command HistoryCommand(CliContext cli, AlertChannels channels)
    {
        var command = new Command("history", "The alert messages sent and failed, newest first.");
        var limit = new Option<int>("--limit")
        {
            Description = $"How many to show (1 to {AlertService.MaxHistory}).",
            DefaultValueFactory = _ => 50,
        };
        command.Add(limit);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(limit);
            if (count is < 1 or > AlertService.MaxHistory)
            {
                return await cli.FailAsync(string.Create(CultureInfo.InvariantCulture, $"--limit must be from 1 to {AlertService.MaxHistory}; {count} was given.")).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var history = await new AlertService(storage, channels, cli.Time).HistoryAsync(count, cancellationToken).ConfigureAwait(false);
            return await cli.ListAsync(history, e => string.Create(CultureInfo.InvariantCulture,
                $"{e.At:yyyy-MM-dd HH:mm:ss}\t{e.ChannelName}\t{e.Event}\t{e.Outcome.ToString().ToLowerInvariant()}\t{e.Subject}{(e.Error is { } error ? $"\t{error}" : string.Empty)}"),
                HistoryJson).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// One option per channel setting, shared by name across channels: <c>--NAME value</c>, or <c>--NAME-file F</c> for a
    /// secret, so no secret is ever typed on a command line (and kept in shell history).
    /// </summary>
    internal static Dictionary<string, (Option Option, bool Secret)> ChannelOptions(AlertChannels channels)
    {
        var options = new Dictionary<string, (Option, bool)>(StringComparer.Ordinal);
        foreach (var group in channels.All.SelectMany(c => c.Options.Select(o => (Channel: c, Option: o))).GroupBy(p => p.Option.Name))
        {
            var first = group.First().Option;
            var help = string.Join(" ", group.Select(p => $"({p.Channel.Kind.Name()}) {p.Option.Help}"));
            options[group.Key] = first.Secret
                ? (new Option<FileInfo?>($"--{group.Key}-file") { Description = $"A file holding the {first.Label.ToLowerInvariant()} (first line). {help}" }, true)
                : (new Option<string?>($"--{group.Key}") { Description = help }, false);
        }

        return options;
    }

    /// <summary>The channel options given: settings as typed, secrets from the first line of their files.</summary>
    internal static async Task<Result<(Dictionary<string, string> Settings, Dictionary<string, string> Secrets)>> ReadOptionsAsync(ParseResult parse,
        Dictionary<string, (Option Option, bool Secret)> channelOptions, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (optionName, (option, _)) in channelOptions)
        {
            if (option is Option<FileInfo?> fileOption)
            {
                if (parse.GetValue(fileOption) is { } file)
                {
                    var read = await CliFiles.ReadAsync(file, AlertRules.MaxOptionLength, cancellationToken).ConfigureAwait(false);
                    if (!read.IsSuccess)
                    {
                        return Result.Failure<(Dictionary<string, string>, Dictionary<string, string>)>(read.Error!);
                    }

                    // The first line: a secret file ends with a newline, and a token or password is one line.
                    secrets[optionName] = Encoding.UTF8.GetString(read.Value).Split('\n')[0].TrimEnd('\r');
                }
            }
            else if (parse.GetValue((Option<string?>)option) is { } value)
            {
                settings[optionName] = value;
            }
        }

        return Result.Success((settings, secrets));
    }

    internal static object Json(AlertChannelSummary channel) => new
    {
        id = channel.Id,
        name = channel.Name,
        channel = channel.Kind,
        enabled = channel.Enabled,
        settings = channel.Settings,
        secretsSet = channel.SecretsSet,
        createdAt = channel.CreatedAt,
    };

    private static object HistoryJson(AlertHistoryEntry entry) => new
    {
        id = entry.Id,
        at = entry.At,
        channelId = entry.ChannelId,
        channel = entry.ChannelName,
        @event = entry.Event,
        subject = entry.Subject,
        outcome = entry.Outcome.ToString().ToLowerInvariant(),
        error = entry.Error,
    };
}
