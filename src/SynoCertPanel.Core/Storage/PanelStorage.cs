using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Security;
using SynoCertPanel.Core.Storage.CompiledModel;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Storage;

/// <summary>
/// Opens the data directory: applies migrations, then loads the key-encryption key (or makes one for a
/// brand-new database) and checks it against the value the database recorded when the key was made.
/// </summary>
public sealed class PanelStorage
{
    internal const string KeyCheckSetting = "key-encryption-key-check";

    private const int Corrupt = 11;

    private const int NotADatabase = 26;

    private readonly Lazy<DbContextOptions<PanelDbContext>> _options;

    private PanelStorage(DataDirectory data, KeyProtector protector)
    {
        Data = data;
        Protector = protector;
        // Built on the first context only: a command that reads and writes with plain SQL never initialises the model.
        _options = new Lazy<DbContextOptions<PanelDbContext>>(() => ContextOptions(data));
    }

    public DataDirectory Data { get; }

    public KeyProtector Protector { get; }

    /// <summary>Serialises writes: SQLite has one writer at a time, and bookkeeping (serials, default) wants order.</summary>
    public SemaphoreSlim WriteGate { get; } = new(1, 1);

    public static DbContextOptions<PanelDbContext> ContextOptions(DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new DbContextOptionsBuilder<PanelDbContext>()
            .UseSqlite(data.ConnectionString)
            // Built ahead of time by `dotnet ef dbcontext optimize` (see PanelDbContext): no model building at start.
            .UseModel(PanelDbContextModel.Instance)
            .AddInterceptors(new SqlitePragmas())
            .Options;
    }

    public static async Task<Result<PanelStorage>> OpenAsync(DataDirectory data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.EnsureExists();
        var databaseExisted = File.Exists(data.DatabasePath);
        string? check;
        try
        {
            // Most opens are short CLI processes on an up-to-date database: one read of the history and one of the key
            // check value, plain SQL with no lock, and no EF Core context (bench/results/cli-startup.md).
            await MigrationTurn.MigrateAsync(data, typeof(PanelDbContext), cancellationToken).ConfigureAwait(false);
            check = await SqliteConnections.ReadSettingAsync(data, KeyCheckSetting, cancellationToken).ConfigureAwait(false);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is NotADatabase or Corrupt)
        {
            return Result.Failure<PanelStorage>(
                $"The database {data.DatabasePath} is not an SQLite database or is damaged ({e.Message.TrimEnd('.')}). "
                + "Restore the data directory from a backup, or move this file away to start with an empty panel.");
        }

        if (check is null)
        {
            var created = await CreateKeyCheckAsync(data, databaseExisted, cancellationToken).ConfigureAwait(false);
            if (created is not null)
            {
                return created;
            }

            check = await SqliteConnections.ReadSettingAsync(data, KeyCheckSetting, cancellationToken).ConfigureAwait(false);
            if (check is null)
            {
                return Result.Failure<PanelStorage>($"The database {data.DatabasePath} lost its key check value while it was being opened; it is damaged.");
            }
        }

        var protector = KeyEncryptionKeyFile.Load(data);
        if (!protector.IsSuccess)
        {
            return Result.Failure<PanelStorage>(protector.Error!);
        }

        return KeyEncryptionKeyFile.MatchesCheckValue(protector.Value, check)
            ? Result.Success(new PanelStorage(data, protector.Value))
            : Result.Failure<PanelStorage>(
                $"The key-encryption key {data.KeyEncryptionKeyPath} is not the one this database's keys were encrypted with. "
                + "Put back the file that belongs to this data directory (from the same backup as the database).");
    }

    public PanelDbContext CreateContext() => new(_options.Value);

    /// <summary>
    /// Whether <paramref name="table"/> holds any row, asked with plain SQLite: background work for a feature nobody uses
    /// (boxes, ACME) looks here first, so an idle panel never builds an EF Core context for it (about 25 MB resident).
    /// </summary>
    public async Task<bool> HasAnyRowAsync(string table, CancellationToken cancellationToken = default)
    {
        var connection = await SqliteConnections.OpenAsync(Data, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await SqliteConnections.AnyRowAsync(connection, table, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Makes the key-encryption key and records its check value, or null when another process recorded one first: several
    /// processes may open a new data directory at once (a script running `cert create` in parallel), and the first to take
    /// SQLite's write lock makes the key while the others wait and load that one. Plain SQL, so a first start builds no EF
    /// Core context for it (bench/RESULTS.md, "Start-up footprint").
    /// </summary>
    private static async Task<Result<PanelStorage>?> CreateKeyCheckAsync(DataDirectory data, bool databaseExisted, CancellationToken cancellationToken)
    {
        var connection = await SqliteConnections.OpenAsync(data, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = connection.BeginTransaction(deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                if (await SqliteConnections.ReadSettingAsync(connection, KeyCheckSetting, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return null;
                }

                if (databaseExisted && await SqliteConnections.AnyRowAsync(connection, "PrivateKeys", cancellationToken).ConfigureAwait(false))
                {
                    return Result.Failure<PanelStorage>($"The database {data.DatabasePath} holds keys but no key check value; it is damaged.");
                }

                var loaded = File.Exists(data.KeyEncryptionKeyPath) ? KeyEncryptionKeyFile.Load(data) : Result.Success(KeyEncryptionKeyFile.CreateNew(data));
                if (!loaded.IsSuccess)
                {
                    return Result.Failure<PanelStorage>(loaded.Error!);
                }

                await SqliteConnections.WriteSettingAsync(connection, KeyCheckSetting, KeyEncryptionKeyFile.MakeCheckValue(loaded.Value), cancellationToken)
                    .ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Result.Success(new PanelStorage(data, loaded.Value));
            }
        }
    }
}
