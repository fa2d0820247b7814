using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Backup;

/// <summary>What a backup file holds, read without restoring it.</summary>
public sealed record BackupContents(BackupManifest Manifest, long Certificates, long Authorities, long PrivateKeys);

/// <summary>
/// Opens a backup as restore would (passphrase, integrity of every file, SQLite's integrity check, the key-encryption
/// key matching its database) and counts what is inside, so a person can trust a file before restoring it.
/// Nothing of the running panel is touched: the files are examined in a private temporary folder that is deleted after.
/// </summary>
public static class BackupInspector
{
    public static async Task<Result<BackupContents>> InspectAsync(byte[] content, string? passphrase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var package = await Task.Run(() => BackupEnvelope.Open(content, passphrase ?? string.Empty), cancellationToken).ConfigureAwait(false);
        var unpacked = package.Bind(BackupPackage.Unpack);
        if (!unpacked.IsSuccess)
        {
            return Result.Failure<BackupContents>(unpacked.Error!);
        }

        return await Task.Run(() => Examine(unpacked.Value.Manifest, unpacked.Value.Files), cancellationToken).ConfigureAwait(false);
    }

    private static Result<BackupContents> Examine(BackupManifest manifest, IReadOnlyDictionary<string, byte[]> files)
    {
        // CreateTempSubdirectory makes the folder 0700 on Unix; the files inside are 0600 like in a data directory.
        var folder = Directory.CreateTempSubdirectory("synocert-inspect-");
        try
        {
            foreach (var (name, bytes) in files)
            {
                AtomicFile.Write(Path.Combine(folder.FullName, name), bytes, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var staged = new DataDirectory(folder.FullName);
            var check = RestoreService.CheckRestored(staged);
            if (!check.IsSuccess)
            {
                return Result.Failure<BackupContents>(check.Error!);
            }

            using var connection = DatabaseSnapshot.Open(staged.DatabasePath, SqliteOpenMode.ReadOnly);
            return Result.Success(new BackupContents(manifest, Count(connection, "Certificates"), Count(connection, "Authorities"), Count(connection, "PrivateKeys")));
        }
        catch (SqliteException e)
        {
            return Result.Failure<BackupContents>($"The backup's database cannot be read ({e.Message}).");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static long Count(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        // The table names are this method's own constants, never input.
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\";";
        return (long)command.ExecuteScalar()!;
    }
}
