using Microsoft.Data.Sqlite;

namespace SynoCertPanel.Core.Storage;

/// <summary>Plain SQLite connections with the panel's settings, for the few reads and writes that do not go through EF Core.</summary>
public static class SqliteConnections
{
    /// <summary>
    /// Opens a connection with the same pragmas EF Core's connections get (<see cref="SqlitePragmas"/>). Unpooled: a
    /// connection kept for long or one that ran a script is closed for real, so a failed transaction or a broken
    /// handle never goes back to the pool.
    /// </summary>
    public static Task<SqliteConnection> OpenUnpooledAsync(DataDirectory data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        return OpenAsync(new SqliteConnectionStringBuilder(data.ConnectionString) { Pooling = false }.ToString(), cancellationToken);
    }

    /// <summary>Opens a pooled connection with the same pragmas EF Core's connections get, for a short read or one transaction.</summary>
    public static Task<SqliteConnection> OpenAsync(DataDirectory data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        return OpenAsync(data.ConnectionString, cancellationToken);
    }

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = SqlitePragmas.Pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// One value of the Settings table by name (null when unset), on a pooled plain connection of its own: the reads at
    /// start-up (the key check, the listener's binding and default certificate) need no EF Core context.
    /// </summary>
    public static async Task<string?> ReadSettingAsync(DataDirectory data, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var connection = new SqliteConnection(data.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await ReadSettingAsync(connection, name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One value of the Settings table by name (null when unset), read on an open plain connection.</summary>
    public static async Task<string?> ReadSettingAsync(SqliteConnection connection, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "SELECT \"Value\" FROM \"Settings\" WHERE \"Name\" = $name";
            command.Parameters.AddWithValue("$name", name);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
    }

    /// <summary>Sets one value of the Settings table (inserted or replaced), on an open plain connection, inside the caller's transaction.</summary>
    public static async Task WriteSettingAsync(SqliteConnection connection, string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "INSERT INTO \"Settings\" (\"Name\", \"Value\") VALUES ($name, $value) ON CONFLICT (\"Name\") DO UPDATE SET \"Value\" = excluded.\"Value\"";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$value", value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether <paramref name="table"/> has any row; the name is the caller's constant, never input.</summary>
    public static async Task<bool> AnyRowAsync(SqliteConnection connection, string table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\")";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) != 0;
        }
    }
}
