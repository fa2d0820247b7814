using System.CommandLine;
using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Cli;

/// <summary>`cert import` and `cert export`: the same services as the Import and Export dialogs.</summary>
internal static class CertTransferCommands
{
    public static Command ImportCommand(CliContext cli)
    {
        var command = new Command("import", "Import a certificate with its key and chain: --cert [--key] [--chain], or --archive, or --pfx.");
        var cert = new Option<FileInfo?>("--cert") { Description = "Certificate file (PEM or DER; may also hold the key and chain, or be PKCS#7)." };
        var key = new Option<FileInfo?>("--key") { Description = "Private key file; not needed when the key is a pending CSR's key held here." };
        var chain = new Option<FileInfo?>("--chain") { Description = "Intermediate certificate(s) (PEM, DER or PKCS#7)." };
        var archive = new Option<FileInfo?>("--archive") { Description = "A Synology-style archive.zip." };
        var pfx = new Option<FileInfo?>("--pfx") { Description = "A PKCS#12 file (.pfx/.p12)." };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "File whose first line opens the PKCS#12 file or encrypted key." };
        foreach (var option in new Option[] { cert, key, chain, archive, pfx, passwordFile })
        {
            command.Add(option);
        }

        cli.Remote.Add("cert import", command, (parse, panel, cancellationToken) => Remote.RemoteTransferCommands.ImportAsync(cli, panel,
            new ImportFiles(parse.GetValue(cert), parse.GetValue(key), parse.GetValue(chain), parse.GetValue(archive), parse.GetValue(pfx),
                parse.GetValue(passwordFile)), cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var files = await new ImportFiles(parse.GetValue(cert), parse.GetValue(key), parse.GetValue(chain), parse.GetValue(archive), parse.GetValue(pfx),
                parse.GetValue(passwordFile)).ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!files.IsSuccess)
            {
                return await cli.FailAsync(files.Error!).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var imported = await new ImportService(storage, cli.Time).ImportAsync(files.Value.Request, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await ReportImportAsync(cli, imported.Result.Map(i => new ImportReport(i.CertificateId, i.CompletedRequestId, i.AuthorityId)))
                .ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>What `cert import` prints (or why not), here and against a remote panel alike; the import's warnings go to stderr.</summary>
    internal static Task<int> ReportImportAsync(CliContext cli, Result<ImportReport> imported) =>
        cli.ReportAsync(imported, i => $"Imported certificate {i.CertificateId}"
            + (i.CompletedRequestId is { } request ? $" (the key of pending request {request})" : string.Empty)
            + (i.AuthorityId is { } authority ? $"; CA {authority} is now held here" : string.Empty),
            i => new { id = i.CertificateId, certificateId = i.CertificateId, requestId = i.CompletedRequestId, authorityId = i.AuthorityId });

    public static Command ExportCommand(CliContext cli)
    {
        var command = new Command("export", "Export a certificate (and, with --include-key, its private key).");
        var id = new Argument<int>("ID");
        var format = new Option<string>("--format") { Description = $"One of: {string.Join(", ", ExportFormats.Names)}.", Required = true };
        var includeKey = new Option<bool>("--include-key") { Description = "Confirm that the export carries the private key (key, pfx, pfx-legacy, synology-zip)." };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "File whose first line protects a PKCS#12 file (required) or a key (optional)." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the file (mode 0600 when it holds a key).", Required = true };
        command.Add(id);
        foreach (var option in new Option[] { format, includeKey, passwordFile, output })
        {
            command.Add(option);
        }

        cli.Remote.Add("cert export", command, (parse, panel, cancellationToken) => Remote.RemoteTransferCommands.ExportAsync(cli, panel, parse.GetValue(id),
            parse.GetValue(format), parse.GetValue(includeKey), parse.GetValue(passwordFile), parse.GetValue(output)!, cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = ExportFormats.Parse(parse.GetValue(format));
            var password = await CliFiles.ReadPasswordAsync(parse.GetValue(passwordFile), cancellationToken).ConfigureAwait(false);
            if ((chosen.Error ?? password.Error) is { } problem)
            {
                return await cli.FailAsync(problem).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var exported = await new ExportService(storage, cli.Time).ExportAsync(parse.GetValue(id), chosen.Value,
                new ExportOptions { IncludeKey = parse.GetValue(includeKey), Password = password.Value }, cli.Actor, cancellationToken).ConfigureAwait(false);
            var path = parse.GetValue(output)!.FullName;
            if (exported.IsSuccess)
            {
                await CliFiles.WriteAsync(path, exported.Value.Content, exported.Value.ContainsKey, cancellationToken).ConfigureAwait(false);
            }

            return await ReportExportAsync(cli, exported.Map(e => e.ContainsKey), parse.GetValue(id), chosen.Value, path).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>What `cert export` prints once the file is written (or why not), here and against a remote panel alike.</summary>
    internal static Task<int> ReportExportAsync(CliContext cli, Result<bool> containsKey, int id, ExportFormat format, string path) =>
        cli.ReportAsync(containsKey, key => $"Wrote {ExportFormats.NameOf(format)} to {path}{(key ? " (holds the private key)" : string.Empty)}",
            key => new { id, format = ExportFormats.NameOf(format), file = path, containsKey = key });
}

/// <summary>What an import did: the new certificate, the pending request whose key it took, a CA it registered.</summary>
internal sealed record ImportReport(int CertificateId, int? CompletedRequestId, int? AuthorityId);
