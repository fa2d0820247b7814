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
            await using var db = new PanelDbContext(ContextOptions(data));
            // Several processes may open a new data directory at once (a script running `cert create` in parallel):
            // the first to take SQLite's write lock makes the key-encryption key, the others wait and load that one.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            check = await KeyCheckAsync(db, cancellationToken).ConfigureAwait(false);
            if (check is null)
            {
                var hasKeys = await db.PrivateKeys.AnyAsync(cancellationToken).ConfigureAwait(false);
                if (databaseExisted && hasKeys)
                {
                    return Result.Failure<PanelStorage>($"The database {data.DatabasePath} holds keys but no key check value; it is damaged.");
                }

                var loaded = File.Exists(data.KeyEncryptionKeyPath) ? KeyEncryptionKeyFile.Load(data) : Result.Success(KeyEncryptionKeyFile.CreateNew(data));
                if (!loaded.IsSuccess)
                {
                    return Result.Failure<PanelStorage>(loaded.Error!);
                }

                db.Settings.Add(new SettingRecord { Name = KeyCheckSetting, Value = KeyEncryptionKeyFile.MakeCheckValue(loaded.Value) });
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Result.Success(new PanelStorage(data, loaded.Value));
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

    private static Task<string?> KeyCheckAsync(PanelDbContext db, CancellationToken cancellationToken) =>
        db.Settings.AsNoTracking().Where(s => s.Name == KeyCheckSetting).Select(s => (string?)s.Value).SingleOrDefaultAsync(cancellationToken);
}
