using System.Globalization;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Web.Api;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>
/// `cert export` against a remote panel: the same options and checks as on a data directory here, the export calls
/// instead of <see cref="ExportService"/>, and the same file written the same way (through a temporary file, 0600 when
/// it holds a key) with the same output and exit codes.
/// </summary>
internal static class RemoteTransferCommands
{
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
