using System.CommandLine;
using System.Globalization;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Services;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Cli;

/// <summary>
/// `service list|set`: the Services page. Setting runs what exists: `cert set-default` for the listener, `box deploy` for a
/// box, with their checks, their audit and their output.
/// </summary>
internal static class ServiceCommands
{
    public static Command Create(CliContext cli)
    {
        var deliveries = BoxDeliveries.Standard(cli.Time);
        var service = new Command("service", "Which certificate each service uses (the panel's listener, each box), and changing it.");
        service.Add(ListCommand(cli, deliveries));
        service.Add(SetCommand(cli, deliveries));
        return service;
    }

    private static Command ListCommand(CliContext cli, BoxDeliveries deliveries)
    {
        var command = new Command("list", "Each service, the certificate it uses now, and what each watched endpoint served at its last probe.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var services = await Map(storage, deliveries, cli).ListAsync(cancellationToken).ConfigureAwait(false);
            return await cli.ListAsync(services, Describe, Json).ConfigureAwait(false);
        });
        return command;
    }

    private static Command SetCommand(CliContext cli, BoxDeliveries deliveries)
    {
        var command = new Command("set", "Serve a certificate on a service: `listener` as `cert set-default` does, `box:NAME` as `box deploy NAME --certificate ID` does.");
        var name = new Argument<string>("SERVICE") { Description = "listener, or box:NAME (a box's name or id), as `service list` shows them." };
        var certificate = new Option<int>("--certificate") { Description = "The certificate to serve (see `cert list`).", Required = true };
        command.Add(name);
        command.Add(certificate);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var key = ServiceKey.Parse(parse.GetValue(name));
            if (!key.IsSuccess)
            {
                return await cli.FailAsync(key.Error!).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var id = parse.GetValue(certificate);
            return key.Value.Kind == ServiceKind.Listener
                ? await CertCommands.RunSetDefaultAsync(cli, storage, id, cancellationToken).ConfigureAwait(false)
                : await BoxDeployCommands.RunDeployAsync(cli, storage, deliveries, key.Value.Box!, id, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static ServiceMap Map(PanelStorage storage, BoxDeliveries deliveries, CliContext cli) =>
        new(storage, new BoxService(storage, deliveries, cli.Time), cli.Time);

    /// <summary>One line for the service, then one indented line per watched endpoint.</summary>
    private static string Describe(CertificateService service)
    {
        var uses = service.Uses is { } held
            ? string.Create(CultureInfo.InvariantCulture, $"certificate {held.Id} \"{Display.Literal(held.Description, 80)}\" until {held.NotAfter:yyyy-MM-dd}")
            : service.Kind == ServiceKind.Listener ? "no default recorded" : "nothing deployed from here";
        var lines = new List<string> { $"{service.Key}\t{uses}" + (service.SetRefusal is { } why ? $"\t({why})" : string.Empty) };
        foreach (var endpoint in service.Endpoints)
        {
            var served = endpoint.Served is { } s ? string.Create(CultureInfo.InvariantCulture, $"serves certificate {s.Id}")
                : endpoint.SawCertificate ? "serves a certificate not held here"
                : "nothing seen";
            var another = service.Uses is { } u && endpoint.SawCertificate && !endpoint.Serves(u) ? "\tnot the deployed certificate" : string.Empty;
            lines.Add($"  {endpoint.Endpoint.Display}\t{endpoint.Endpoint.State ?? "not-checked"}\t{served}{another}");
        }

        return string.Join('\n', lines);
    }

    private static object Json(CertificateService service) => new
    {
        service = service.Key,
        kind = service.Kind == ServiceKind.Listener ? "listener" : "box",
        name = service.Name,
        uses = service.Uses is { } held ? Held(held) : null,
        canSet = service.SetRefusal is null,
        setRefusal = service.SetRefusal,
        endpoints = service.Endpoints.Select(e => new
        {
            endpoint = e.Endpoint.Display,
            state = e.Endpoint.State,
            checkedAt = e.Endpoint.CheckedAt,
            servedFingerprint = e.Endpoint.ServedFingerprint,
            servedNotAfter = e.Endpoint.ServedNotAfter,
            servedCertificateId = e.Served?.Id,
            servesAnother = service.Uses is { } u && e.SawCertificate && !e.Serves(u),
        }),
    };

    private static object Held(HeldCertificate held) => new
    {
        id = held.Id,
        description = held.Description,
        notAfter = held.NotAfter,
        sha256 = held.Sha256Fingerprint,
    };
}
