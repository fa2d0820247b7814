using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Security;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Backup;

/// <summary>
/// Restores a backup into an empty (or missing) data directory, typically on a new machine. Everything is
/// checked and written in a sibling temp folder first, which is renamed into place only when complete, so
/// a refused file leaves the target exactly as it was.
/// </summary>
public sealed class RestoreService(TimeProvider time)
{
    public async Task<Result<BackupManifest>> RestoreFileAsync(string backupPath, string passphrase, DataDirectory target, string actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backupPath);
        var file = new FileInfo(backupPath);
        if (!file.Exists)
        {
            return Result.Failure<BackupManifest>($"{file.FullName} does not exist.");
        }

        if (file.Length > BackupEnvelope.MaxFileBytes)
        {
            return Result.Failure<BackupManifest>($"{file.FullName} is {file.Length / (1024 * 1024)} MiB; a backup is at most {BackupEnvelope.MaxFileBytes / (1024 * 1024)} MiB.");
        }

        var content = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        return await RestoreAsync(content, passphrase, target, actor, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<BackupManifest>> RestoreAsync(byte[] content, string passphrase, DataDirectory target, string actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(target);
        var problem = TargetProblem(target);
        if (problem is not null)
        {
            return Result.Failure<BackupManifest>(problem);
        }

        var package = await Task.Run(() => BackupEnvelope.Open(content, passphrase ?? string.Empty), cancellationToken).ConfigureAwait(false);
        var unpacked = package.Bind(BackupPackage.Unpack);
        if (!unpacked.IsSuccess)
        {
            return Result.Failure<BackupManifest>(unpacked.Error!);
        }

        var written = WriteIntoPlace(unpacked.Value.Files, target);
        if (!written.IsSuccess)
        {
            return Result.Failure<BackupManifest>(written.Error!);
        }

        var manifest = unpacked.Value.Manifest;
        var opened = await PanelStorage.OpenAsync(target, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            throw new InvalidOperationException($"The restored data directory {target.Path} passed its checks but does not open: {opened.Error}");
        }

        await using var db = opened.Value.CreateContext();
        AuditLog.Add(db, time.GetUtcNow(), actor, AuditActions.RestoreBackup, Path.GetFileName(target.Path), AuditOutcome.Succeeded,
            $"backup made {manifest.CreatedAt:u} by panel {manifest.PanelVersion}");
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(manifest);
    }

    private static string? TargetProblem(DataDirectory target)
    {
        if (File.Exists(target.Path))
        {
            return $"{target.Path} is a file; restore needs an empty or missing directory.";
        }

        return Directory.Exists(target.Path) && Directory.EnumerateFileSystemEntries(target.Path).Any()
            ? $"{target.Path} is not empty; restore only into an empty or missing directory, so no panel's data is overwritten."
            : null;
    }

    private static Result<bool> WriteIntoPlace(IReadOnlyDictionary<string, byte[]> files, DataDirectory target)
    {
        var parent = Path.GetDirectoryName(target.Path)!;
        Directory.CreateDirectory(parent);
        // A sibling, so the final rename stays on one file system and is atomic.
        var staging = Path.Combine(parent, $".{Path.GetFileName(target.Path)}.restore-{Guid.NewGuid():N}");
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(staging);
        }
        else
        {
            Directory.CreateDirectory(staging, owner | UnixFileMode.UserExecute);
        }

        try
        {
            foreach (var (name, content) in files)
            {
                AtomicFile.Write(Path.Combine(staging, name), content, owner);
            }

            var check = CheckRestored(new DataDirectory(staging));
            if (!check.IsSuccess)
            {
                return check;
            }

            var problem = TargetProblem(target);
            if (problem is not null)
            {
                return Result.Failure<bool>(problem);
            }

            // Directory.Move refuses an existing destination, even an empty one; it was empty a moment ago.
            if (Directory.Exists(target.Path))
            {
                Directory.Delete(target.Path);
            }

            Directory.Move(staging, target.Path);
            return Result.Success(true);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>The database is sound and its keys open with the key-encryption key that came with it.</summary>
    internal static Result<bool> CheckRestored(DataDirectory staged)
    {
        var protector = KeyEncryptionKeyFile.Load(staged);
        if (!protector.IsSuccess)
        {
            return Result.Failure<bool>($"The backup's key-encryption key is unusable: {protector.Error}");
        }

        try
        {
            using var connection = DatabaseSnapshot.Open(staged.DatabasePath, SqliteOpenMode.ReadWrite);
            var integrity = DatabaseSnapshot.Scalar(connection, "PRAGMA integrity_check;");
            if (integrity != "ok")
            {
                return Result.Failure<bool>($"The backup's database fails SQLite's integrity check ({integrity}).");
            }

            var check = DatabaseSnapshot.Scalar(connection, "SELECT Value FROM Settings WHERE Name = $name;", ("$name", PanelStorage.KeyCheckSetting));
            return check is not null && KeyEncryptionKeyFile.MatchesCheckValue(protector.Value, check)
                ? Result.Success(true)
                : Result.Failure<bool>("The backup's key-encryption key does not belong to its database; the backup is damaged.");
        }
        catch (SqliteException e)
        {
            return Result.Failure<bool>($"The backup's database cannot be read ({e.Message}).");
        }
    }
}
