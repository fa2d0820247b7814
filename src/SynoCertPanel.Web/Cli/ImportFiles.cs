using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Web.Api;

namespace SynoCertPanel.Web.Cli;

/// <summary>
/// `cert import`'s files as given: --cert (with --key and --chain), --archive or --pfx, and --password-file. Read with the
/// import's size cap before anything is imported, here or on a remote panel alike.
/// </summary>
internal sealed record ImportFiles(FileInfo? Certificate, FileInfo? Key, FileInfo? Chain, FileInfo? Archive, FileInfo? Pkcs12, FileInfo? PasswordFile)
{
    public async Task<Result<ReadImportFiles>> ReadAsync(CancellationToken cancellationToken)
    {
        if (new[] { Certificate, Archive, Pkcs12 }.Count(f => f is not null) != 1)
        {
            return Result.Failure<ReadImportFiles>("Give exactly one of --cert, --archive or --pfx.");
        }

        if (Certificate is null && (Key ?? Chain) is not null)
        {
            return Result.Failure<ReadImportFiles>("--key and --chain go with --cert; an archive or PKCS#12 file carries them itself.");
        }

        // Each file fills the part of the API's upload the import wizard would put it in.
        var given = new (string Part, FileInfo? File)[]
        {
            (ImportUploadParts.CertificateName, Certificate),
            (ImportUploadParts.KeyName, Key),
            (ImportUploadParts.ChainName, Chain),
            (ImportUploadParts.BundleName, Archive),
            (ImportUploadParts.BundleName, Pkcs12),
        };
        var files = new List<(string Part, BundleFile File)>();
        foreach (var (part, file) in given)
        {
            if (file is null)
            {
                continue;
            }

            var bytes = await CliFiles.ReadAsync(file, ImportService.MaxFileBytes, cancellationToken).ConfigureAwait(false);
            if (!bytes.IsSuccess)
            {
                return Result.Failure<ReadImportFiles>(bytes.Error!);
            }

            files.Add((part, new BundleFile(file.Name, bytes.Value)));
        }

        var password = await CliFiles.ReadPasswordAsync(PasswordFile, cancellationToken).ConfigureAwait(false);
        return password.IsSuccess ? Result.Success(new ReadImportFiles(files, password.Value)) : Result.Failure<ReadImportFiles>(password.Error!);
    }
}

/// <summary>The files of an import once read, each with the part of the API's upload it fills, and the password.</summary>
internal sealed record ReadImportFiles(IReadOnlyList<(string Part, BundleFile File)> Files, string? Password)
{
    /// <summary>What <see cref="ImportService"/> takes: the files in the order given, the password.</summary>
    public ImportRequest Request => new() { Files = [.. Files.Select(f => f.File)], Password = Password };
}
