using System.CommandLine;
using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Web.Cli;

/// <summary>`box edit BOX [...]`: what is given changes, the rest stays; secrets only from files, kept unless a new one is given.</summary>
internal static class BoxEditCommand
{
    public static Command Create(CliContext cli, BoxDeliveries deliveries)
    {
        var command = new Command("edit",
            "Change a box: only what is given changes. An empty --NAME \"\" drops a setting (its default applies); a secret stays unless a new --NAME-file is given. "
            + "Another --delivery keeps none of the old method's settings or secrets: give all it needs.");
        var box = new Argument<string>("BOX") { Description = "The box's id or name." };
        var name = new Option<string?>("--name") { Description = "A new name for the box." };
        var addresses = new Option<string[]>("--address")
        {
            Description = "The addresses the box is reached at, all of them (repeat); replaces the stored list.",
            AllowMultipleArgumentsPerToken = true,
        };
        var watch = new Option<string[]>("--watch")
        {
            Description = "The TLS endpoints to probe, all of them (repeat); replaces the stored list. An endpoint no longer watched loses its last state.",
            AllowMultipleArgumentsPerToken = true,
        };
        var delivery = new Option<string?>("--delivery")
        {
            Description = $"Another delivery method: {string.Join(", ", deliveries.All.Select(m => m.Kind.Name()))}.",
        };
        var authority = new Option<int?>("--ca") { Description = "A CA held here to issue the box's certificate from (replaces the certificate source)." };
        var certificate = new Option<int?>("--certificate") { Description = "A certificate from the inventory to deliver (replaces the certificate source)." };
        var clearSource = new Option<bool>("--no-source") { Description = "Neither a CA nor a certificate: the box has none yet." };
        var forgetPin = new Option<bool>("--forget-pin")
        {
            Description = "Forget the pinned SSH host key and HTTPS fingerprint, so a re-installed box is trusted on next contact (compare what it shows).",
        };
        command.Add(box);
        command.Add(name);
        command.Add(addresses);
        command.Add(watch);
        command.Add(delivery);
        command.Add(authority);
        command.Add(certificate);
        command.Add(clearSource);
        command.Add(forgetPin);
        var methodOptions = BoxCommands.MethodOptions(deliveries);
        foreach (var option in methodOptions.Values)
        {
            command.Add(option.Option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var ca = parse.GetValue(authority);
            var given = parse.GetValue(certificate);
            if (parse.GetValue(clearSource) && (ca is not null || given is not null))
            {
                return await cli.FailAsync("Give --no-source, or --ca / --certificate, not both.").ConfigureAwait(false);
            }

            var values = await BoxCommands.ReadOptionsAsync(parse, methodOptions, cancellationToken).ConfigureAwait(false);
            if (!values.IsSuccess)
            {
                return await cli.FailAsync(values.Error!).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var updated = await new BoxService(storage, deliveries, cli.Time).UpdateAsync(parse.GetValue(box)!, new BoxChange
            {
                Name = parse.GetValue(name),
                Addresses = parse.GetValue(addresses) is { Length: > 0 } a ? a : null,
                Watch = parse.GetValue(watch) is { Length: > 0 } w ? w : null,
                Delivery = parse.GetValue(delivery),
                Settings = values.Value.Settings,
                Secrets = values.Value.Secrets,
                Source = parse.GetValue(clearSource) ? new BoxCertificateSource(null, null) : ca is not null || given is not null ? new BoxCertificateSource(ca, given) : null,
                ForgetPin = parse.GetValue(forgetPin),
            }, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(updated, b => "Saved.\n" + BoxCommands.Describe(b), BoxCommands.Json).ConfigureAwait(false);
        });
        return command;
    }
}
