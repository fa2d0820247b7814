using System.Net;
using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Listener;

/// <summary>The binding read at every start (a plain read of the setting) is the one the panel stored, and stored text it cannot use is refused with the text.</summary>
public sealed class ListenerBindingStoreTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("synocert-binding-").FullName;
    private PanelStorage _storage = null!;

    private ListenerBindingStore Store => new(_storage, TimeProvider.System);

    public async Task InitializeAsync() => _storage = (await PanelStorage.OpenAsync(new DataDirectory(_data))).Value;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    private async Task StoreTextAsync(string text)
    {
        await using var db = _storage.CreateContext();
        db.Settings.Add(new SettingRecord { Name = ListenerBindingStore.Setting, Value = text });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Load_NothingStored_None()
    {
        var loaded = await Store.LoadAsync();

        Assert.True(loaded.IsSuccess, loaded.Error);
        Assert.Null(loaded.Value);
    }

    [Fact]
    public async Task Load_AfterSave_TheSavedBinding()
    {
        var binding = new ListenerBinding(9443, 9080, [IPAddress.Parse("192.168.1.10"), IPAddress.Parse("10.0.0.2")]);
        await Store.SaveAsync(binding, new ListenerBinding(8443, 8080, [IPAddress.Loopback]), "test");

        var loaded = await Store.LoadAsync();

        Assert.True(loaded.IsSuccess, loaded.Error);
        Assert.Equal(binding, loaded.Value);
    }

    [Theory]
    [InlineData("https=99999;http=8080;bind=0.0.0.0")]
    [InlineData("https=8443;http=8080;bind=not-an-address")]
    [InlineData("garbage")]
    public async Task Load_StoredTextUnusable_RefusedQuotingTheText(string text)
    {
        await StoreTextAsync(text);

        var loaded = await Store.LoadAsync();

        Assert.False(loaded.IsSuccess);
        Assert.StartsWith($"the stored listener binding \"{text}\" is unusable: ", loaded.Error, StringComparison.Ordinal);
    }
}
