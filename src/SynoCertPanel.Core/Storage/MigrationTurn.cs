using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SynoCertPanel.Core.Storage;

/// <summary>
/// Brings a context's tables up to date, one process at a time, and costs next to nothing when they already are.
/// <para>
/// EF Core's migrator and its history check build models through the whole convention pipeline, which was most of what
/// the panel and every command-line process loaded at start and stayed in memory for good. So the check reads the
/// history table with one plain query, and a pending migration runs as the SQL script EF Core generates for it, shipped
/// beside the migration (<c>Migrations/Sql/ID.sql</c>; a test keeps the scripts equal to what EF Core generates).
/// </para>
/// <para>
/// Processes that open one data directory at once (a script running many commands) take turns through an OS file
/// lock, which the kernel releases when its holder dies, so a crash never leaves the next start waiting.
/// </para>
/// </summary>
public static class MigrationTurn
{
    public const string FileName = "synocertpanel.migrate.lock";

    /// <summary>Applies the context's pending migrations, if any, under the data directory's migration lock.</summary>
    public static Task MigrateAsync(DataDirectory data, DbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return MigrateAsync(data, db.GetType(), HistoryTable(db.GetService<IDbContextOptions>()), cancellationToken);
    }

    /// <summary>
    /// The same for a context whose options keep EF Core's default history table (<see cref="PanelStorage"/>'s do: a test
    /// checks), without its options: building them initialises the compiled model, about a hundred methods compiled at
    /// run time that a short command never needs when nothing is pending (bench/RESULTS.md, "Command-line start-up").
    /// </summary>
    public static Task MigrateAsync(DataDirectory data, Type contextType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contextType);
        return MigrateAsync(data, contextType, HistoryRepository.DefaultTableName, cancellationToken);
    }

    /// <summary>The history table the context's options name (EF Core's default unless they set another).</summary>
    public static string HistoryTableOf(DbContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return HistoryTable(options);
    }

    /// <summary>
    /// The ids of the migrations of <paramref name="contextType"/>, oldest first, read from the names of their embedded SQL
    /// scripts (one context's migrations per assembly; a test keeps the list equal to EF Core's migrations assembly). Reading
    /// the migrations' attributes instead loaded every type of the assembly, and with them EF Core's: about 15 MB resident
    /// that a restarted panel kept without ever building a context (bench/RESULTS.md, footprint).
    /// </summary>
    public static IReadOnlyList<string> KnownMigrations(Type contextType)
    {
        ArgumentNullException.ThrowIfNull(contextType);
        const string prefix = "migrations/", suffix = ".sql";
        return contextType.Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(suffix, StringComparison.Ordinal))
            .Select(n => n[prefix.Length..^suffix.Length])
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>
    /// The same for a context that names its own history table (the accounts' do), again without building its options.
    /// </summary>
    public static async Task MigrateAsync(DataDirectory data, Type contextType, string table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(contextType);
        ArgumentException.ThrowIfNullOrEmpty(table);
        var known = KnownMigrations(contextType);
        if (!(await PendingAsync(data, table, known, cancellationToken).ConfigureAwait(false)).Any())
        {
            return;
        }

        await using var turn = await FileTurn.WaitAsync(Path.Combine(data.Path, FileName), cancellationToken).ConfigureAwait(false);
        // Another process may have applied them while this one waited for its turn.
        foreach (var id in await PendingAsync(data, table, known, cancellationToken).ConfigureAwait(false))
        {
            await RunAsync(data, Script(contextType.Assembly, id), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the database lacks one of the context's migrations (a missing database lacks them all).</summary>
    public static async Task<bool> HasPendingAsync(DataDirectory data, DbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(db);
        return (await PendingAsync(data, HistoryTable(db.GetService<IDbContextOptions>()), KnownMigrations(db.GetType()), cancellationToken).ConfigureAwait(false)).Any();
    }

    /// <summary>The name of the embedded script of one migration, in the assembly that holds the migration.</summary>
    public static string ScriptResourceName(string migrationId) => $"migrations/{migrationId}.sql";

    private static string Script(System.Reflection.Assembly assembly, string migrationId)
    {
        using var stream = assembly.GetManifestResourceStream(ScriptResourceName(migrationId))
            ?? throw new InvalidOperationException($"Migration {migrationId} has no SQL script in {assembly.GetName().Name}; generate it (see MigrationTurn).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task RunAsync(DataDirectory data, string script, CancellationToken cancellationToken)
    {
        // Unpooled: if a statement fails inside the script's transaction, closing the connection rolls it back and
        // releases SQLite's write lock, instead of a pooled handle keeping both.
        var connection = await SqliteConnections.OpenUnpooledAsync(data, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                // The script carries its own BEGIN TRANSACTION and COMMIT, with the history row inside: all or nothing
                // (a test keeps each script to one such block).
                command.CommandText = script;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string HistoryTable(IDbContextOptions options) =>
        options.Extensions.OfType<Microsoft.EntityFrameworkCore.Infrastructure.RelationalOptionsExtension>()
            .Select(e => e.MigrationsHistoryTableName).FirstOrDefault(n => n is not null) ?? HistoryRepository.DefaultTableName;

    private static async Task<IEnumerable<string>> PendingAsync(DataDirectory data, string table, IReadOnlyList<string> known, CancellationToken cancellationToken)
    {
        if (!File.Exists(data.DatabasePath))
        {
            return known;
        }

        var applied = await AppliedAsync(data, table, cancellationToken).ConfigureAwait(false);
        return known.Where(id => !applied.Contains(id));
    }

    private static async Task<HashSet<string>> AppliedAsync(DataDirectory data, string table, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(data.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Read only, no transaction left open: the pooled connection is fine here.
            var exists = connection.CreateCommand();
            await using (exists.ConfigureAwait(false))
            {
                exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
                exists.Parameters.AddWithValue("$name", table);
                if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
                {
                    return [];
                }
            }

            var read = connection.CreateCommand();
            await using (read.ConfigureAwait(false))
            {
                // The name comes from the context's options, never from input; quoted as an SQLite identifier all the same.
                read.CommandText = $"SELECT \"MigrationId\" FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
                var applied = new HashSet<string>(StringComparer.Ordinal);
                var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        applied.Add(reader.GetString(0));
                    }
                }

                return applied;
            }
        }
    }
}
