using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;

namespace SynoCertPanel.Core.Storage;

/// <summary>The state of the data directory as the settings page shows it.</summary>
public sealed record DataDirectoryReport(
    string Path,
    long DatabaseBytes,
    long? FreeBytes,
    bool KeyFilePresent,
    UnixFileMode? KeyFileMode,
    string QuickCheck,
    DateTimeOffset? LastBackupAt)
{
    public const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public bool DatabaseHealthy => QuickCheck == "ok";

    /// <summary>Anyone who can read the key-encryption key and the database has every private key.</summary>
    public bool KeyFileOwnerOnly => KeyFilePresent && (KeyFileMode is null || KeyFileMode == OwnerReadWrite);
}

/// <summary>Reads sizes, free space, the key file's mode and SQLite's quick check of the open data directory.</summary>
public static class DataDirectoryCheck
{
    /// <summary>quick_check lists at most this many problems; the first few say enough.</summary>
    private const int MaxReportedProblems = 5;

    public static async Task<DataDirectoryReport> RunAsync(PanelStorage storage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var data = storage.Data;
        var keyFile = new FileInfo(data.KeyEncryptionKeyPath);
        await using var db = storage.CreateContext();
        var lastBackup = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == AuditActions.CreateBackup && e.Outcome == AuditOutcome.Succeeded)
            .OrderByDescending(e => e.Id).Select(e => (DateTimeOffset?)e.At)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return new DataDirectoryReport(
            data.Path,
            FileLength(data.DatabasePath) + FileLength(data.DatabasePath + "-wal"),
            FreeSpace(data.Path),
            keyFile.Exists,
            keyFile.Exists && !OperatingSystem.IsWindows() ? File.GetUnixFileMode(keyFile.FullName) : null,
            await QuickCheckAsync(db, cancellationToken).ConfigureAwait(false),
            lastBackup);
    }

    private static async Task<string> QuickCheckAsync(PanelDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA quick_check({MaxReportedProblems});";
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("; ", lines);
    }

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static long? FreeSpace(string path)
    {
        try
        {
            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
