using System.CommandLine;
using System.Globalization;
using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Web.Cli;

/// <summary>`box add|list|show|edit|enable|disable|delete`: the lab's other boxes, as on the Boxes page.</summary>
internal static class BoxCommands
{
    public static Command Create(CliContext cli)
    {
        var deliveries = BoxDeliveries.Standard(cli.Time);
        var box = new Command("box", "The lab's other boxes: where they are, how certificates reach them, what they serve.");
        box.Add(AddCommand(cli, deliveries));
        box.Add(ListCommand(cli, deliveries));
        box.Add(ShowCommand(cli, deliveries));
        box.Add(BoxEditCommand.Create(cli, deliveries));
        box.Add(EnableCommand(cli, deliveries, enable: true));
        box.Add(EnableCommand(cli, deliveries, enable: false));
        box.Add(DeleteCommand(cli, deliveries));
        box.Add(BoxDeployCommands.Test(cli, deliveries));
        box.Add(BoxDeployCommands.Deploy(cli, deliveries));
        box.Add(BoxDeployCommands.History(cli, deliveries));
        box.Add(BoxDeployCommands.Check(cli));
        return box;
    }

    private static Command AddCommand(CliContext cli, BoxDeliveries deliveries)
    {
        var command = new Command("add", "Add a box: its addresses, the TLS endpoints to watch, and how certificates reach it.");
        var name = new Argument<string>("NAME") { Description = $"A name for the box (up to {BoxRules.MaxNameLength} letters, digits, spaces, dots, dashes, underscores)." };
        var addresses = new Option<string[]>("--address")
        {
            Description = "A DNS name or IP address the box is reached at (repeat); its certificate covers them all.",
            AllowMultipleArgumentsPerToken = true,
            Required = true,
        };
        var watch = new Option<string[]>("--watch")
        {
            Description = "A TLS endpoint to probe, HOST:PORT or [IPv6]:PORT (repeat; default: the first address on port 443).",
            AllowMultipleArgumentsPerToken = true,
        };
        var delivery = new Option<string>("--delivery")
        {
            Description = $"How certificates reach the box: {string.Join(", ", deliveries.All.Select(m => $"{m.Kind.Name()} ({m.Kind.Label()})"))}.",
            DefaultValueFactory = _ => DeliveryKind.None.Name(),
        };
        var authority = new Option<int?>("--ca") { Description = "A CA held here that issues (and renews) the box's certificate for its addresses." };
        var certificate = new Option<int?>("--certificate") { Description = "A certificate from the inventory to deliver as it is (instead of issuing one)." };
        command.Add(name);
        command.Add(addresses);
        command.Add(watch);
        command.Add(delivery);
        command.Add(authority);
        command.Add(certificate);
        var methodOptions = MethodOptions(deliveries);
        foreach (var option in methodOptions.Values)
        {
            command.Add(option.Option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var values = await ReadOptionsAsync(parse, methodOptions, cancellationToken).ConfigureAwait(false);
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

            var added = await new BoxService(storage, deliveries, cli.Time).AddAsync(new BoxDraft
            {
                Name = parse.GetValue(name),
                Addresses = parse.GetValue(addresses) ?? [],
                Watch = parse.GetValue(watch) ?? [],
                Delivery = parse.GetValue(delivery),
                Settings = settings,
                Secrets = secrets,
                AuthorityId = parse.GetValue(authority),
                CertificateId = parse.GetValue(certificate),
            }, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(added, b => $"Added box {b.Id} \"{b.Name}\" ({b.Delivery.Label()}), watching {string.Join(", ", b.Endpoints.Select(e => e.Display))}."
                + (b.Settings.TryGetValue(BoxService.PublicKeySetting, out var line)
                    ? $"\nThe panel made a login key for this box. Add this line to the authorized_keys of the account it logs in as:\n{line}"
                    : string.Empty), Json).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ListCommand(CliContext cli, BoxDeliveries deliveries)
    {
        var command = new Command("list", "List the boxes with their delivery method and each endpoint's last state.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var boxes = await new BoxService(storage, deliveries, cli.Time).ListAsync(cancellationToken).ConfigureAwait(false);
            return await cli.ListAsync(boxes, b => string.Create(CultureInfo.InvariantCulture,
                $"{b.Id}\t{b.Name}\t{b.Delivery.Name()}\t{(b.Enabled ? "enabled" : "disabled")}\t{string.Join(", ", b.Addresses)}\t{string.Join(", ", b.Endpoints.Select(e => $"{e.Display} {e.State ?? "not probed"}"))}"),
                Json).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ShowCommand(CliContext cli, BoxDeliveries deliveries)
    {
        var command = new Command("show", "Show one box: addresses, delivery settings (never a secret), endpoints and what each served.");
        var box = new Argument<string>("BOX") { Description = "The box's id or name." };
        command.Add(box);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var found = await new BoxService(storage, deliveries, cli.Time).FindAsync(parse.GetValue(box)!, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(found, Describe, Json).ConfigureAwait(false);
        });
        return command;
    }

    private static Command EnableCommand(CliContext cli, BoxDeliveries deliveries, bool enable)
    {
        var command = new Command(enable ? "enable" : "disable",
            enable ? "Probe, deploy to and renew for the box again." : "Stop probing, deploying to and renewing for the box; its settings are kept.");
        var box = new Argument<string>("BOX") { Description = "The box's id or name." };
        command.Add(box);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var changed = await new BoxService(storage, deliveries, cli.Time).SetEnabledAsync(parse.GetValue(box)!, enable, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(changed, b => $"Box {b.Id} \"{b.Name}\" is {(enable ? "enabled" : "disabled")}.", Json).ConfigureAwait(false);
        });
        return command;
    }

    private static Command DeleteCommand(CliContext cli, BoxDeliveries deliveries)
    {
        var command = new Command("delete", "Remove a box with its endpoints and deploy history; the certificates it used stay in the inventory.");
        var box = new Argument<string>("BOX") { Description = "The box's id or name." };
        command.Add(box);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var deleted = await new BoxService(storage, deliveries, cli.Time).DeleteAsync(parse.GetValue(box)!, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(deleted, b => $"Deleted box {b.Id} \"{b.Name}\".", Json).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// One option per delivery-method setting, shared by name across methods: <c>--NAME value</c>, or
    /// <c>--NAME-file F</c> for a secret, so no secret is ever typed on a command line (and kept in shell history).
    /// </summary>
    internal static Dictionary<string, (Option Option, bool Secret)> MethodOptions(BoxDeliveries deliveries)
    {
        var options = new Dictionary<string, (Option, bool)>(StringComparer.Ordinal);
        foreach (var group in deliveries.All.SelectMany(m => m.Options.Select(o => (Method: m, Option: o))).GroupBy(p => p.Option.Name))
        {
            var first = group.First().Option;
            var help = string.Join(" ", group.Select(p => $"({p.Method.Kind.Name()}) {p.Option.Help}"));
            // A secret, or a PEM (many lines), is read from a file.
            options[group.Key] = first.Secret || group.Key.EndsWith("-pem", StringComparison.Ordinal)
                ? (new Option<FileInfo?>($"--{group.Key}-file") { Description = $"A file holding the {first.Label.ToLowerInvariant()}. {help}" }, first.Secret)
                : (new Option<string?>($"--{group.Key}") { Description = help }, false);
        }

        return options;
    }

    /// <summary>The method options given: settings as typed, secrets and PEMs read from their files.</summary>
    internal static async Task<Result<(Dictionary<string, string> Settings, Dictionary<string, string> Secrets)>> ReadOptionsAsync(ParseResult parse,
        Dictionary<string, (Option Option, bool Secret)> methodOptions, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (optionName, (option, secret)) in methodOptions)
        {
            if (option is Option<FileInfo?> fileOption)
            {
                if (parse.GetValue(fileOption) is { } file)
                {
                    var read = await CliFiles.ReadAsync(file, BoxRules.MaxOptionLength, cancellationToken).ConfigureAwait(false);
                    if (!read.IsSuccess)
                    {
                        return Result.Failure<(Dictionary<string, string>, Dictionary<string, string>)>(read.Error!);
                    }

                    (secret ? secrets : settings)[optionName] = System.Text.Encoding.UTF8.GetString(read.Value).Trim();
                }
            }
            else if (parse.GetValue((Option<string?>)option) is { } value)
            {
                settings[optionName] = value;
            }
        }

        return Result.Success((settings, secrets));
    }

    internal static string Describe(BoxSummary box)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Box {box.Id}: {box.Name} ({(box.Enabled ? "enabled" : "disabled")})"),
            $"Addresses: {string.Join(", ", box.Addresses)}",
            $"Delivery: {box.Delivery.Label()}",
        };
        lines.AddRange(box.Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"  {s.Key}: {Pki.Display.Literal(s.Value, 200)}"));
        lines.AddRange(box.SecretsSet.Select(s => $"  {s}: (set, not shown)"));
        if (box.AuthorityId is { } ca)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Issued by CA: {ca}"));
        }

        if (box.CertificateId is { } certificate)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Certificate: {certificate}"));
        }

        lines.Add("Endpoints:");
        lines.AddRange(box.Endpoints.Select(e => e.CheckedAt is { } at
            ? string.Create(CultureInfo.InvariantCulture, $"  {e.Display}: {e.State} at {at:yyyy-MM-dd HH:mm} UTC. {e.Message}")
            : $"  {e.Display}: not probed yet"));
        return string.Join('\n', lines);
    }

    internal static object Json(BoxSummary box) => new
    {
        id = box.Id,
        name = box.Name,
        addresses = box.Addresses,
        delivery = box.Delivery.Name(),
        enabled = box.Enabled,
        authorityId = box.AuthorityId,
        certificateId = box.CertificateId,
        settings = box.Settings,
        secretsSet = box.SecretsSet,
        endpoints = box.Endpoints.Select(e => new
        {
            id = e.Id,
            host = e.Host,
            port = e.Port,
            state = e.State,
            message = e.Message,
            checkedAt = e.CheckedAt,
            servedFingerprint = e.ServedFingerprint,
            servedNotAfter = e.ServedNotAfter,
        }),
        createdAt = box.CreatedAt,
    };
}
