using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

/// <summary>A fresh data directory with a real SQLite database, deleted afterwards.</summary>
public sealed class PanelFixture : IAsyncDisposable
{
    private PanelFixture(string path, PanelStorage storage)
    {
        Path = path;
        Storage = storage;
    }

    public string Path { get; }

    public PanelStorage Storage { get; }

    public TimeProvider Time { get; } = TimeProvider.System;

    public static async Task<PanelFixture> CreateAsync()
    {
        var path = Directory.CreateTempSubdirectory("synocert-core-").FullName;
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(System.IO.Path.Combine(path, "data")))).Value;
        return new PanelFixture(path, storage);
    }

    public SelfSignedService SelfSigned => new(Storage, Time);

    public InventoryService Inventory => new(Storage, Time);

    public ImportService Import => new(Storage, Time);

    public ExportService Export => new(Storage, Time);

    /// <summary>A file as an upload: the name only shows in messages, the format comes from the bytes.</summary>
    public static BundleFile Upload(string path) => new(System.IO.Path.GetFileName(path), File.ReadAllBytes(path));

    public static ImportRequest Files(params string[] paths) => new() { Files = paths.Select(Upload).ToList() };

    /// <summary>Rows that an import adds; a refused import must leave every count as it was.</summary>
    public async Task<(int Certificates, int Keys, int Authorities, int Pending)> CountRowsAsync()
    {
        await using var db = Storage.CreateContext();
        return (await db.Certificates.CountAsync(), await db.PrivateKeys.CountAsync(), await db.Authorities.CountAsync(), await db.PendingRequests.CountAsync());
    }

    public async Task<AuditEventRecord> LastAuditAsync()
    {
        await using var db = Storage.CreateContext();
        return await db.AuditEvents.OrderBy(a => a.Id).LastAsync();
    }

    public static SelfSignedRequest SelfSignedRequest(string host, params string[] names) => new()
    {
        Root = new RootCaOptions { Subject = DistinguishedName.Create($"{host} Root CA").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
        Server = new LeafOptions
        {
            Subject = DistinguishedName.Create(host).Value,
            SubjectAlternativeNames = SanParser.ParseAll(names).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        },
        Description = host,
    };

    public static (int ExitCode, string Output) Run(string program, params string[] arguments) => OpenSslHierarchy.Run(program, arguments);

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
        return ValueTask.CompletedTask;
    }
}
