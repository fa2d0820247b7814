using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Auth;
using SynoCertPanel.Web.Tests.Support;

namespace SynoCertPanel.Web.Tests.Storage;

/// <summary>
/// The panel runs on models compiled ahead of time and on migration scripts generated ahead of time; these tests keep
/// both equal to what EF Core makes from the code, and the schema they build equal to EF Core's own migrator's.
/// </summary>
public sealed class SchemaTests : IDisposable
{
    /// <summary>Set to 1 to rewrite the scripts in the source tree from the migrations (after `dotnet ef migrations add`).</summary>
    private const string WriteScripts = "SYNOCERT_WRITE_MIGRATION_SCRIPTS";

    private readonly string _root = Directory.CreateTempSubdirectory("synocert-schema-").FullName;

    public static TheoryData<string> Contexts => [nameof(PanelDbContext), nameof(AccountsDbContext)];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void KnownMigrations_ReadFromAttributes_SameAsEfCoreMigrationsInTheSameOrder(string context)
    {
        using var db = Create(context, new DataDirectory(Path.Combine(_root, "ids")), design: false);

        var known = MigrationTurn.KnownMigrations(db.GetType());

        Assert.NotEmpty(known);
        Assert.Equal(db.Database.GetMigrations(), known);
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void CompiledModel_DescribesTheSameTablesAsTheCode(string context)
    {
        var data = new DataDirectory(Path.Combine(_root, "model"));
        using var compiled = Create(context, data, design: false);
        using var fromCode = Create(context, data, design: true);

        var expected = Describe(fromCode.Model);
        var actual = Describe(compiled.Model);

        Assert.NotSame(compiled.Model, fromCode.Model);
        Assert.Contains("key ", expected, StringComparison.Ordinal);
        Assert.True(expected == actual,
            $"The compiled model of {context} is out of date; rebuild it with `dotnet ef dbcontext optimize` (see {context}).\n"
            + $"From the code:\n{expected}\nCompiled:\n{actual}");
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void EveryMigration_ShipsTheScriptEfCoreGenerates(string context)
    {
        var data = new DataDirectory(Path.Combine(_root, "scripts"));
        using var db = Create(context, data, design: true);
        var migrator = db.GetService<IMigrator>();
        var assembly = db.GetType().Assembly;
        string? previous = null;
        var stale = new List<string>();
        foreach (var id in db.Database.GetMigrations())
        {
            var expected = Normalize(migrator.GenerateScript(previous, id));
            // One transaction per script is what makes a failed migration leave nothing behind (see MigrationTurn);
            // a migration EF Core splits into several blocks needs its own handling there.
            Assert.Equal(1, Occurrences(expected, "BEGIN TRANSACTION;"));
            Assert.Equal(1, Occurrences(expected, "COMMIT;"));
            Assert.True(expected.IndexOf("INSERT INTO", StringComparison.Ordinal) < expected.IndexOf("COMMIT;", StringComparison.Ordinal),
                $"The history row of {id} is written outside its transaction.");
            using var stream = assembly.GetManifestResourceStream(MigrationTurn.ScriptResourceName(id));
            var shipped = stream is null ? null : Normalize(new StreamReader(stream).ReadToEnd());
            if (shipped != expected)
            {
                stale.Add(id);
                if (Environment.GetEnvironmentVariable(WriteScripts) == "1")
                {
                    File.WriteAllText(Path.Combine(SourceFolder(context), $"{id}.sql"), expected);
                }
            }

            previous = id;
        }

        Assert.True(stale.Count == 0,
            $"Missing or stale migration scripts of {context}: {string.Join(", ", stale)}. Rewrite them with {WriteScripts}=1 and this test.");
    }

    [Fact]
    public void HistoryTables_TheStartUpChecks_AreTheOnesTheContextsOptionsName()
    {
        // Start-up checks pending migrations by context type and table name without building either context's options.
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "synocert-history-names"));

        Assert.Equal(AccountsDbContext.MigrationsHistoryTable, MigrationTurn.HistoryTableOf(AccountsDbContext.ContextOptions(data)));
        Assert.Equal(HistoryRepository.DefaultTableName, MigrationTurn.HistoryTableOf(PanelStorage.ContextOptions(data)));
        Assert.NotEqual(AccountsDbContext.MigrationsHistoryTable, HistoryRepository.DefaultTableName);
    }

    [Fact]
    public async Task EmptyDataDirectory_GetsTheSchemaOfEfCoresMigrator()
    {
        var ours = new DataDirectory(Path.Combine(_root, "ours"));
        var opened = await PanelStorage.OpenAsync(ours);
        Assert.True(opened.IsSuccess, opened.Error);
        await using (var accounts = new AccountsDbContext(AccountsDbContext.ContextOptions(ours)))
        {
            await accounts.MigrateAsync(ours);
        }

        var theirs = new DataDirectory(Path.Combine(_root, "theirs"));
        theirs.EnsureExists();
        foreach (var context in new[] { nameof(PanelDbContext), nameof(AccountsDbContext) })
        {
            await using var db = Create(context, theirs, design: true);
            await db.Database.MigrateAsync();
        }

        var expected = await SchemaAsync(theirs);
        Assert.Contains("table Certificates:", expected, StringComparison.Ordinal);
        Assert.Contains("table AspNetUsers:", expected, StringComparison.Ordinal);
        Assert.Equal(expected, await SchemaAsync(ours));
        Assert.Equal(await HistoryAsync(theirs), await HistoryAsync(ours));
        await using var panel = Create(nameof(PanelDbContext), ours, design: false);
        Assert.False(await MigrationTurn.HasPendingAsync(ours, panel));
    }

    [Fact]
    public async Task DatabaseAtTheFirstMigration_IsBroughtUpToDate_AndKeepsItsRows()
    {
        var data = new DataDirectory(Path.Combine(_root, "upgrade"));
        data.EnsureExists();
        string first;
        await using (var db = Create(nameof(PanelDbContext), data, design: true))
        {
            first = db.Database.GetMigrations().First();
            await db.GetService<IMigrator>().MigrateAsync(first);
            await db.Database.ExecuteSqlRawAsync("INSERT INTO Settings (Name, Value) VALUES ('kept', 'yes')");
        }

        Assert.Equal(first + "\n", await QueryAsync(data, $"SELECT MigrationId FROM \"{HistoryRepository.DefaultTableName}\""));

        var opened = await PanelStorage.OpenAsync(data);

        Assert.True(opened.IsSuccess, opened.Error);
        await using var reopened = opened.Value.CreateContext();
        Assert.Equal(reopened.Database.GetMigrations(), await reopened.Database.GetAppliedMigrationsAsync());
        Assert.Equal("yes", await reopened.Settings.Where(s => s.Name == "kept").Select(s => s.Value).SingleAsync());
        Assert.False(await MigrationTurn.HasPendingAsync(data, reopened));
    }

    [Fact]
    public async Task GarbageDatabaseFile_IsRefusedWithTheReason_AndLeftAsItWas()
    {
        var data = new DataDirectory(Path.Combine(_root, "garbage"));
        data.EnsureExists();
        var garbage = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("not a database at all ", 400)));
        await File.WriteAllBytesAsync(data.DatabasePath, garbage);

        var opened = await PanelStorage.OpenAsync(data);

        Assert.False(opened.IsSuccess);
        Assert.Contains(data.DatabasePath, opened.Error, StringComparison.Ordinal);
        Assert.Contains("not an SQLite database", opened.Error, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(data.DatabasePath));
        Assert.False(File.Exists(data.KeyEncryptionKeyPath));
    }

    private static DbContext Create(string context, DataDirectory data, bool design) => context switch
    {
        nameof(PanelDbContext) => new PanelDbContext(design
            ? new DbContextOptionsBuilder<PanelDbContext>().UseSqlite(data.ConnectionString).Options
            : PanelStorage.ContextOptions(data)),
        nameof(AccountsDbContext) => new AccountsDbContext(design
            ? (DbContextOptions<AccountsDbContext>)AccountsDbContext.ConfigureForDesign(new DbContextOptionsBuilder<AccountsDbContext>(), data.ConnectionString).Options
            : AccountsDbContext.ContextOptions(data)),
        _ => throw new ArgumentOutOfRangeException(nameof(context)),
    };

    private static string SourceFolder(string context) => context == nameof(PanelDbContext)
        ? Path.Combine(RepositoryRoot.Path, "src", "SynoCertPanel.Core", "Storage", "Migrations", "Sql")
        : Path.Combine(RepositoryRoot.Path, "src", "SynoCertPanel.Web", "Auth", "Migrations", "Sql");

    private static string Normalize(string script) => script.ReplaceLineEndings("\n").Trim() + "\n";

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Tables, columns, keys, foreign keys and indexes as text, in a stable order.</summary>
    private static string Describe(IModel model)
    {
        var text = new StringBuilder();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"entity {entity.Name} table {entity.GetTableName()}");
            foreach (var property in entity.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                var mapping = property.GetRelationalTypeMapping();
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  property {property.Name} {property.ClrType.Name} column {property.GetColumnName()} {mapping.StoreType} "
                    + $"null={property.IsNullable} max={property.GetMaxLength()} generated={property.ValueGenerated} "
                    + $"converter={mapping.Converter?.ProviderClrType.Name ?? "-"} concurrency={property.IsConcurrencyToken}");
            }

            foreach (var key in entity.GetKeys().OrderBy(k => Names(k.Properties), StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  key {Names(key.Properties)} primary={key.IsPrimaryKey()}");
            }

            foreach (var foreign in entity.GetForeignKeys().OrderBy(f => Names(f.Properties), StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  foreign {Names(foreign.Properties)} -> {foreign.PrincipalEntityType.Name} delete={foreign.DeleteBehavior} required={foreign.IsRequired}");
            }

            foreach (var index in entity.GetIndexes().OrderBy(i => Names(i.Properties), StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  index {index.GetDatabaseName()} {Names(index.Properties)} unique={index.IsUnique}");
            }
        }

        return text.ToString();
    }

    private static string Names(IEnumerable<IReadOnlyProperty> properties) => string.Join(",", properties.Select(p => p.Name));

    /// <summary>Every table and index, without SQLite's own and without the lock table only EF Core's migrator makes.</summary>
    private static async Task<string> SchemaAsync(DataDirectory data) =>
        await QueryAsync(data, "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master "
            + "WHERE name NOT LIKE 'sqlite_%' AND name <> '__EFMigrationsLock' ORDER BY type, name");

    private static async Task<string> HistoryAsync(DataDirectory data) =>
        await QueryAsync(data, $"SELECT '{nameof(PanelDbContext)} ' || MigrationId FROM \"{HistoryRepository.DefaultTableName}\" "
            + $"UNION ALL SELECT '{nameof(AccountsDbContext)} ' || MigrationId FROM \"{AccountsDbContext.MigrationsHistoryTable}\" ORDER BY 1");

    private static async Task<string> QueryAsync(DataDirectory data, string sql)
    {
        await using var connection = new SqliteConnection(data.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new StringBuilder();
        while (await reader.ReadAsync())
        {
            lines.Append(reader.GetString(0)).Append('\n');
        }

        return lines.ToString();
    }
}
