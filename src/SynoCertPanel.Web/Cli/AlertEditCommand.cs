using System.CommandLine;
using SynoCertPanel.Core.Alerts;

namespace SynoCertPanel.Web.Cli;

/// <summary>`alert edit CHANNEL [...]`: what is given changes, the rest stays; secrets only from files, kept unless a new one is given.</summary>
internal static class AlertEditCommand
{
    public static Command Create(CliContext cli, AlertChannels channels)
    {
        var command = new Command("edit",
            "Change an alert channel: only what is given changes. An empty --NAME \"\" drops a setting (its default applies); a secret stays unless a new --NAME-file is given. "
            + "Another --channel keeps none of the old kind's settings or secrets: give all it needs.");
        var channel = new Argument<string>("CHANNEL") { Description = "The channel's id or name." };
        var name = new Option<string?>("--name") { Description = "A new name for the channel." };
        var kind = new Option<string?>("--channel") { Description = $"Another kind of channel: {string.Join(", ", channels.All.Select(c => c.Kind.Name()))}." };
        command.Add(channel);
        command.Add(name);
        command.Add(kind);
        var channelOptions = AlertCommands.ChannelOptions(channels);
        foreach (var option in channelOptions.Values)
        {
            command.Add(option.Option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var values = await AlertCommands.ReadOptionsAsync(parse, channelOptions, cancellationToken).ConfigureAwait(false);
            if (!values.IsSuccess)
            {
                return await cli.FailAsync(values.Error!).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var updated = await new AlertService(storage, channels, cli.Time).UpdateAsync(parse.GetValue(channel)!, new AlertChannelChange
            {
                Name = parse.GetValue(name),
                Channel = parse.GetValue(kind),
                Settings = values.Value.Settings,
                Secrets = values.Value.Secrets,
            }, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(updated, c => $"Saved alert channel {c.Id} \"{c.Name}\" ({c.Kind}).", AlertCommands.Json).ConfigureAwait(false);
        });
        return command;
    }
}
