using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Backup;

/// <summary>
/// A consistent copy of the live database through SQLite's online backup API: it copies every page under
/// one read transaction, so a write committed meanwhile is either wholly in the copy or not at all.
/// Copying the file by hand could miss pages still in the -wal file or catch a half-written checkpoint.
/// </summary>
internal static class DatabaseSnapshot
{
    public static Result<byte[]> Take(DataDirectory data)
    {
        var folder = Directory.CreateTempSubdirectory("synocert-snapshot-");
        try
        {
            var copyPath = Path.Combine(folder.FullName, DataDirectory.DatabaseFileName);
            using (var source = Open(data.DatabasePath, SqliteOpenMode.ReadWrite))
            using (var copy = Open(copyPath, SqliteOpenMode.ReadWriteCreate))
            {
                Execute(source, "PRAGMA busy_timeout=5000;");
                source.BackupDatabase(copy);
                // Fold everything into the main file, then mark it WAL so a restore produces what the panel itself
                // writes. Closing this last (unpooled) connection checkpoints and removes the empty -wal file.
                Execute(copy, "PRAGMA journal_mode=DELETE;");
                Execute(copy, "PRAGMA journal_mode=WAL;");
                var check = Scalar(copy, "PRAGMA integrity_check;");
                if (check != "ok")
                {
                    return Result.Failure<byte[]>($"The database {data.DatabasePath} failed SQLite's integrity check ({check}); no backup was written.");
                }
            }

            return Result.Success(File.ReadAllBytes(copyPath));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Unpooled, so no handle outlives the call and the file can be moved or deleted at once.</summary>
    internal static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    internal static string? Scalar(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar() as string;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
