using Microsoft.AspNetCore.Components.Forms;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Chains;

namespace SynoCertPanel.Web.Components.Certificates;

/// <summary>What the person has: separate files as DSM asks for them, or one container file.</summary>
public enum ImportKind
{
    /// <summary>Private key, certificate, intermediate certificate: the three fields of DSM's import dialog.</summary>
    SeparateFiles,

    /// <summary>One PKCS#12, Synology archive.zip, PKCS#7 or PEM bundle.</summary>
    OneFile,
}

/// <summary>A file the browser sent, held in memory until the import (a few KiB).</summary>
public sealed record UploadedFile(string Name, byte[] Content);

/// <summary>The import wizard's form: the files picked so far, the passphrase once one is needed, the description.</summary>
public sealed class ImportUpload
{
    /// <summary>
    /// The service reads nothing larger (the engine's PEM limit) and the HTTP body limit for forms is the same
    /// 1 MiB (ProtectionOptions.DefaultMaxRequestBodySize); a bigger file is refused before it crosses the circuit.
    /// </summary>
    public const long MaxFileBytes = ImportService.MaxFileBytes;

    public ImportKind Kind { get; set; } = ImportKind.SeparateFiles;

    public UploadedFile? KeyFile { get; set; }

    public UploadedFile? CertificateFile { get; set; }

    public UploadedFile? ChainFile { get; set; }

    public UploadedFile? BundleFile { get; set; }

    /// <summary>Shown once the service said a file is protected; until then no passphrase is asked for.</summary>
    public bool NeedsPassphrase { get; set; }

    public string? Passphrase { get; set; }

    public string? Description { get; set; }

    /// <summary>The least the service needs: a certificate (its key may be a pending request's), or the one file.</summary>
    public bool IsComplete => Files.Count > 0;

    public IReadOnlyList<UploadedFile> Files => Kind == ImportKind.OneFile
        ? BundleFile is null ? [] : [BundleFile]
        : CertificateFile is null ? [] : new[] { CertificateFile, KeyFile, ChainFile }.OfType<UploadedFile>().ToList();

    public ImportRequest ToRequest() => new()
    {
        Files = Files.Select(f => new BundleFile(f.Name, f.Content)).ToList(),
        Password = NeedsPassphrase && !string.IsNullOrEmpty(Passphrase) ? Passphrase : null,
        Description = Description ?? string.Empty,
    };

    /// <summary>Reads a picked file, refusing one over the limit before any byte is transferred.</summary>
    public static async Task<Result<UploadedFile>> ReadAsync(IBrowserFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Size > MaxFileBytes)
        {
            return Result.Failure<UploadedFile>(
                $"\"{Display.Literal(file.Name, 40)}\" is {file.Size / 1024} KiB; certificate files are far smaller (at most {MaxFileBytes / 1024} KiB accepted).");
        }

        await using var stream = file.OpenReadStream(MaxFileBytes, cancellationToken);
        using var buffer = new MemoryStream((int)file.Size);
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Result.Success(new UploadedFile(file.Name, buffer.ToArray()));
    }
}
