using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>A real SQLite data directory for the validators' settings (resolver entries, the dns-01 resolver), deleted afterwards.</summary>
internal sealed class ValidationStorage : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-acme-validation-").FullName;

    private ValidationStorage()
    {
    }

    public PanelStorage Storage { get; private set; } = null!;

    public static async Task<ValidationStorage> CreateAsync()
    {
        var created = new ValidationStorage();
        var opened = await PanelStorage.OpenAsync(new DataDirectory(Path.Combine(created._root, "data")));
        Assert.True(opened.IsSuccess, opened.Error);
        created.Storage = opened.Value;
        return created;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
