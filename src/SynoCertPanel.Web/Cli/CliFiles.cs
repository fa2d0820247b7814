using System.Text;

namespace SynoCertPanel.Web.Cli;

/// <summary>Reading inputs with a size cap before any parsing, and writing key-bearing outputs readable by the owner only.</summary>
internal static class CliFiles
{
    /// <summary>A passphrase is one line; a bigger file is the wrong file.</summary>
    private const int MaxPasswordFileBytes = 4 * 1024;

    public static async Task<Result<byte[]>> ReadAsync(FileInfo file, int maxBytes, CancellationToken cancellationToken)
    {
        file.Refresh();
        if (!file.Exists)
        {
            return Result.Failure<byte[]>($"{file.FullName} does not exist.");
        }

        if (file.Length > maxBytes)
        {
            return Result.Failure<byte[]>($"{file.FullName} is {file.Length / 1024} KiB; at most {maxBytes / 1024} KiB is accepted.");
        }

        // Read at most one byte more than allowed: the file may grow between the check and the read.
        await using var stream = file.OpenRead();
        var buffer = new byte[Math.Min(file.Length, maxBytes) + 1];
        var read = 0;
        int count;
        while (read < buffer.Length && (count = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += count;
        }

        return read > maxBytes
            ? Result.Failure<byte[]>($"{file.FullName} is larger than {maxBytes / 1024} KiB.")
            : Result.Success(buffer[..read]);
    }

    /// <summary>The first line of --password-file (no prompt: scripts run unattended); null when no file was given.</summary>
    public static async Task<Result<string?>> ReadPasswordAsync(FileInfo? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return Result.Success<string?>(null);
        }

        var bytes = await ReadAsync(file, MaxPasswordFileBytes, cancellationToken).ConfigureAwait(false);
        if (!bytes.IsSuccess)
        {
            return Result.Failure<string?>(bytes.Error!);
        }

        var line = Encoding.UTF8.GetString(bytes.Value).Split('\n')[0].TrimEnd('\r');
        return line.Length > 0 ? Result.Success<string?>(line) : Result.Failure<string?>($"The password file {file.FullName} is empty.");
    }

    /// <summary>
    /// Writes through a temporary file created with mode 0600 when the content holds a key, then renames it over
    /// the target: an existing world-readable file is replaced, never rewritten in place with its old mode.
    /// </summary>
    public static async Task WriteAsync(string path, byte[] content, bool secret, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                // On the disk before the rename makes it the file: a power cut must not leave an empty file in the old one's place.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
