using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SynoCertPanel.Core.Storage;

/// <summary>
/// Per-connection SQLite settings: WAL lets readers run beside the one writer; synchronous=FULL makes a
/// committed certificate survive a power cut (a NAS loses power more often than a server room).
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    internal const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;";

    /// <summary>
    /// EF Core checks that the database exists over a read-only connection, where switching a database that is
    /// not yet in WAL mode (a copy made with sqlite3 .backup, say) fails with "attempt to write a readonly database".
    /// </summary>
    private const string ReadOnlyPragmas = "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;";

    private static string For(DbConnection connection) =>
        new SqliteConnectionStringBuilder(connection.ConnectionString).Mode == SqliteOpenMode.ReadOnly ? ReadOnlyPragmas : Pragmas;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = For(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = For(connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
