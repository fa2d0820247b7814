using System.Globalization;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Web.Api;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>
/// `cert import` and `cert export` against a remote panel: the same options and checks as on a data directory here, the
/// import and export calls instead of <see cref="ImportService"/> and <see cref="ExportService"/>, and the same output,
/// files and exit codes.
/// </summary>
internal static class RemoteTransferCommands
{
    /// <summary>
    /// Reads the files as here, refuses what the import could not read before sending anything (with the import's own
    /// sentence), and uploads the rest as the form the import wizard sends. Three files at the import's cap of 1 MiB a
    /// file stay under the call's 4 MiB, so the file cap is the one to check.
    /// </summary>
    public static async Task<int> ImportAsync(CliContext cli, RemotePanel panel, ImportFiles given, CancellationToken cancellationToken)
    {
        var files = await given.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!files.IsSuccess)
        {
            return await cli.FailAsync(files.Error!).ConfigureAwait(false);
        }

        var password = files.Value.Password;
        var problem = ImportService.Unreadable(files.Value.Request) ?? (password is { Length: > ImportUploadParts.MaxPasswordLength }
            ? string.Create(CultureInfo.InvariantCulture, $"The password is {password.Length} characters long; at most {ImportUploadParts.MaxPasswordLength} are accepted.")
            : null);
        if (problem is not null)
        {
            return await cli.FailAsync(problem).ConfigureAwait(false);
        }

        List<UploadPart> parts = [.. files.Value.Files.Select(f => new UploadPart(f.Part, f.File.Name, f.File.Data))];
        if (password is not null)
        {
            parts.Add(new UploadPart(ImportUploadParts.PasswordName, null, System.Text.Encoding.UTF8.GetBytes(password)));
        }

        var imported = await panel.UploadAsync<ImportAnswer>(ImportEndpoints.Path, parts, cancellationToken).ConfigureAwait(false);
        return await CertTransferCommands.ReportImportAsync(cli, imported.IsSuccess
            ? Result.Success(new ImportReport(imported.Value.Id, imported.Value.CompletedRequestId, imported.Value.RegisteredAuthorityId), imported.Value.Warnings)
            : Result.Failure<ImportReport>(imported.Error!)).ConfigureAwait(false);
    }

    public static async Task<int> ExportAsync(CliContext cli, RemotePanel panel, int id, string? formatName, bool includeKey, FileInfo? passwordFile,
        FileInfo output, CancellationToken cancellationToken)
    {
        var chosen = ExportFormats.Parse(formatName);
        var password = await CliFiles.ReadPasswordAsync(passwordFile, cancellationToken).ConfigureAwait(false);
        if ((chosen.Error ?? password.Error) is { } problem)
        {
            return await cli.FailAsync(problem).ConfigureAwait(false);
        }

        var format = chosen.Value;
        var path = string.Create(CultureInfo.InvariantCulture, $"/certificates/{id}/export/{ExportFormats.NameOf(format)}");
        var mediaType = ExportFormats.FileOf(format).ContentType;
        Result<byte[]> exported;
        if (!ExportFormats.ContainsKey(format))
        {
            // As here, a password given for a file without a key is not used; it does not travel either.
            exported = await panel.DownloadAsync(path, mediaType, cancellationToken).ConfigureAwait(false);
        }
        else if (!includeKey)
        {
            // As here: a certificate that is not there is named first; one that is, is not exported with its key unasked.
            var held = await panel.GetAsync<CertificateDocument>(string.Create(CultureInfo.InvariantCulture, $"/certificates/{id}"), cancellationToken)
                .ConfigureAwait(false);
            exported = Result.Failure<byte[]>(held.Error ?? ExportService.KeyNotRequested(format));
        }
        else
        {
            // The password goes in the body, never in the URL. A Synology archive takes none (here it is not used; the API refuses one).
            exported = await panel.DownloadAsync(path, new ExportKeyBody { Password = format == ExportFormat.SynologyZip ? null : password.Value },
                mediaType, cancellationToken).ConfigureAwait(false);
        }

        var file = output.FullName;
        if (exported.IsSuccess)
        {
            await CliFiles.WriteAsync(file, exported.Value, ExportFormats.ContainsKey(format), cancellationToken).ConfigureAwait(false);
        }

        return await CertTransferCommands.ReportExportAsync(cli, exported.Map(_ => ExportFormats.ContainsKey(format)), id, format, file).ConfigureAwait(false);
    }
}

/// <summary>What the command reads of the import's answer (<see cref="ImportedCertificateDocument"/>): the new certificate's id and what the import did.</summary>
internal sealed record ImportAnswer(int Id, int? CompletedRequestId, int? RegisteredAuthorityId, IReadOnlyList<string> Warnings);
