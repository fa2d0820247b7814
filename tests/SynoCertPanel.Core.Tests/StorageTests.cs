using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tests;

public class StorageTests
{
    [Fact]
    public async Task Open_EmptyDirectory_CreatesDatabaseAndPrivateKeyEncryptionKey()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var data = panel.Storage.Data;

        Assert.True(File.Exists(data.DatabasePath));
        Assert.Equal(32, new FileInfo(data.KeyEncryptionKeyPath).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(data.KeyEncryptionKeyPath));
        await using var db = panel.Storage.CreateContext();
        var journal = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();
        Assert.Equal("wal", journal.Single());
    }

    [Fact]
    public async Task Open_DatabaseInRollbackJournalMode_OpensAndSwitchesToWal()
    {
        await using var panel = await PanelFixture.CreateAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={panel.Storage.Data.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=DELETE;";
            Assert.Equal("delete", command.ExecuteScalar());
        }

        var reopened = await PanelStorage.OpenAsync(panel.Storage.Data);

        Assert.True(reopened.IsSuccess, reopened.Error);
        await using var db = reopened.Value.CreateContext();
        Assert.Equal("wal", (await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync()).Single());
    }

    [Fact]
    public void Options_HistoryTable_IsTheDefaultTheOpenChecksWithoutBuildingThem()
    {
        // PanelStorage.OpenAsync checks pending migrations against EF Core's default history table without building the
        // context's options; this keeps the two the same.
        var options = PanelStorage.ContextOptions(new DataDirectory(Path.Combine(Path.GetTempPath(), "synocert-history-check")));

        Assert.Equal(Microsoft.EntityFrameworkCore.Migrations.HistoryRepository.DefaultTableName, MigrationTurn.HistoryTableOf(options));
    }

    [Fact]
    public async Task Open_Twice_ReusesTheSameKey()
    {
        await using var panel = await PanelFixture.CreateAsync();
        await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa"), "test");

        var reopened = await PanelStorage.OpenAsync(panel.Storage.Data);

        Assert.True(reopened.IsSuccess, reopened.Error);
        var list = await new Inventory.InventoryService(reopened.Value, TimeProvider.System).ListAsync(new());
        Assert.Equal(2, list.TotalCount);
    }

    [Fact]
    public async Task Open_KeyFileMissing_RefusesAndNamesTheFile()
    {
        await using var panel = await PanelFixture.CreateAsync();
        await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa"), "test");
        File.Delete(panel.Storage.Data.KeyEncryptionKeyPath);

        var reopened = await PanelStorage.OpenAsync(panel.Storage.Data);

        Assert.False(reopened.IsSuccess);
        Assert.Contains(panel.Storage.Data.KeyEncryptionKeyPath, reopened.Error, StringComparison.Ordinal);
        Assert.Contains("missing", reopened.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(panel.Storage.Data.KeyEncryptionKeyPath));
    }

    [Fact]
    public async Task Open_WrongKeyFile_RefusesAndNamesTheFile()
    {
        await using var panel = await PanelFixture.CreateAsync();
        File.WriteAllBytes(panel.Storage.Data.KeyEncryptionKeyPath, new byte[32]);

        var reopened = await PanelStorage.OpenAsync(panel.Storage.Data);

        Assert.False(reopened.IsSuccess);
        Assert.Contains(panel.Storage.Data.KeyEncryptionKeyPath, reopened.Error, StringComparison.Ordinal);
        Assert.Contains("not the one", reopened.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_TruncatedKeyFile_SaysItIsDamaged()
    {
        await using var panel = await PanelFixture.CreateAsync();
        File.WriteAllBytes(panel.Storage.Data.KeyEncryptionKeyPath, new byte[7]);

        var reopened = await PanelStorage.OpenAsync(panel.Storage.Data);

        Assert.False(reopened.IsSuccess);
        Assert.Contains("damaged", reopened.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSelfSigned_StoresKeysOnlyEncrypted()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var result = await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa"), "test");
        using var ec = System.Security.Cryptography.ECDsa.Create();
        ec.ImportPkcs8PrivateKey(result.Value.Server.Key!.ExportPkcs8(), out _);
        var secret = ec.ExportParameters(includePrivateParameters: true).D!;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var database = File.ReadAllBytes(panel.Storage.Data.DatabasePath);
        var wal = File.Exists(panel.Storage.Data.DatabasePath + "-wal") ? File.ReadAllBytes(panel.Storage.Data.DatabasePath + "-wal") : [];

        Assert.Equal(32, secret.Length);
        Assert.Equal(-1, database.AsSpan().IndexOf(secret));
        Assert.Equal(-1, wal.AsSpan().IndexOf(secret));
        Assert.NotEqual(-1, database.AsSpan().IndexOf(result.Value.Server.Certificate.RawData.Span[..64]));
    }
}
