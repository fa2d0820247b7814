using System.CommandLine;
using System.Globalization;
using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Cli;

/// <summary>`csr list`, `csr show`, `csr cancel`: the pending requests made here, whose keys wait for the signed certificates.</summary>
internal static class CsrRequestCommands
{
    public static Command ListCommand(CliContext cli)
    {
        var command = new Command("list", "List the pending requests (CSRs made here whose certificates have not come back), newest first.");
        cli.Remote.Add("csr list", command, (_, panel, cancellationToken) => Remote.RemoteCsrCommands.ListAsync(cli, panel, cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            return storage is null
                ? CliContext.Refused
                : await cli.ListAsync(await new RequestService(storage, cli.Time).ListAsync(cancellationToken).ConfigureAwait(false),
                    p => string.Create(CultureInfo.InvariantCulture,
                        $"{p.Id}\t{Pki.Display.Literal(p.Description, 40)}\t{string.Join(",", p.AlternativeNames)}\tsince {p.CreatedAt:yyyy-MM-dd}\t{p.Request.PublicKey}"),
                    Json).ConfigureAwait(false);
        });
        return command;
    }

    public static Command ShowCommand(CliContext cli)
    {
        var command = new Command("show", "Print a pending request's CSR (PEM), to send to the CA that will sign it.");
        var id = new Argument<int>("ID");
        command.Add(id);
        cli.Remote.Add("csr show", command, (parse, panel, cancellationToken) => Remote.RemoteCsrCommands.ShowAsync(cli, panel, parse.GetValue(id), cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            return storage is null
                ? CliContext.Refused
                : await cli.ReportAsync(await new RequestService(storage, cli.Time).GetAsync(parse.GetValue(id), cancellationToken).ConfigureAwait(false),
                    p => p.Request.ToPem().TrimEnd('\n'), Json).ConfigureAwait(false);
        });
        return command;
    }

    public static Command CancelCommand(CliContext cli)
    {
        var command = new Command("cancel", "Withdraw a pending request and destroy its key: a certificate signed for it can then never be used here.");
        var id = new Argument<int>("ID");
        command.Add(id);
        cli.Remote.Add("csr cancel", command, (parse, panel, cancellationToken) => Remote.RemoteCsrCommands.CancelAsync(cli, panel, parse.GetValue(id), cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            return storage is null
                ? CliContext.Refused
                : await cli.ReportAsync(await new RequestService(storage, cli.Time).CancelAsync(parse.GetValue(id), cli.Actor, cancellationToken).ConfigureAwait(false),
                    c => $"Cancelled pending request {c.Id}; " + (c.KeyDestroyed ? "its key was destroyed" : "its key stays, a certificate here uses it"),
                    c => new { id = c.Id, requestId = c.Id, cancelled = true, keyDestroyed = c.KeyDestroyed }).ConfigureAwait(false);
        });
        return command;
    }

    private static object Json(PendingRequest p) =>
        Json(p.Id, p.Description, p.Subject, p.AlternativeNames, p.CreatedAt, p.Request.PublicKey.ToString(), p.Request.ToPem());

    /// <summary>A pending request with --json, here and against a remote panel alike.</summary>
    internal static object Json(int id, string description, string subject, IReadOnlyList<string> alternativeNames, DateTimeOffset createdAt,
        string key, string pem) => new
        {
            id,
            requestId = id,
            description,
            subject,
            alternativeNames,
            createdAt,
            key,
            pem,
        };
}
