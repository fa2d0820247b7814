using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

public sealed class SoleAuthorityIssuerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-sole-").FullName;

    private DataDirectory Data => new(Path.Combine(_root, "data"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static SelfSignedRequest Request(string host) => new()
    {
        Root = new RootCaOptions { Subject = DistinguishedName.Create($"{host} Root CA").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
        Server = new LeafOptions
        {
            Subject = DistinguishedName.Create(host).Value,
            SubjectAlternativeNames = SanParser.ParseAll([host]).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        },
        SetAsDefault = false,
    };

    [Fact]
    public async Task Issue_FirstRootTurnHeldByAnotherProcess_WaitsAndThenMakesTheRoot()
    {
        var storage = (await PanelStorage.OpenAsync(Data)).Value;
        Task<Pki.Result<SoleAuthorityCertificate>> issuing;
        await using (new FileStream(Path.Combine(Data.Path, SoleAuthorityIssuer.FirstAuthorityLock), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            issuing = new SoleAuthorityIssuer(storage, TimeProvider.System).IssueAsync(Request("waiting.home.arpa"), "test");
            await Task.Delay(TimeSpan.FromMilliseconds(400));

            // It cannot have made a root without the turn, so nothing is stored while another holds it.
            Assert.False(issuing.IsCompleted);
            await using var db = storage.CreateContext();
            Assert.Equal(0, await db.Authorities.CountAsync());
        }

        var issued = await issuing;
        Assert.True(issued.IsSuccess, issued.Error);
        Assert.True(issued.Value.AuthorityCreated);
    }

    [Fact]
    public async Task Issue_ManyWritersOnAnEmptyDirectory_OneRootIssuesEveryCertificate()
    {
        // Each writer opens its own storage, as separate processes do: no shared in-process gate, only SQLite's lock.
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            var storage = await PanelStorage.OpenAsync(Data);
            Assert.True(storage.IsSuccess, storage.Error);
            return await new SoleAuthorityIssuer(storage.Value, TimeProvider.System).IssueAsync(Request($"nas{i}.home.arpa"), "test");
        })));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error));
        Assert.Single(results, r => r.Value.AuthorityCreated);
        var storage = (await PanelStorage.OpenAsync(Data)).Value;
        await using var db = storage.CreateContext();
        var authority = Assert.Single(await db.Authorities.Include(a => a.Certificate).ToListAsync());
        Assert.All(results, r => Assert.Equal(authority.Id, r.Value.AuthorityId));
        var leaves = await db.Certificates.Where(c => c.Id != authority.CertificateId).ToListAsync();
        Assert.Equal(24, leaves.Count);
        var root = Records.ToCertificate(authority.Certificate);
        Assert.All(leaves, leaf =>
        {
            Assert.Equal(authority.Id, leaf.IssuedByAuthorityId);
            Assert.True(Records.ToCertificate(leaf).IsSignedBy(root));
        });
        var export = new ExportService(storage, TimeProvider.System);
        foreach (var leaf in leaves)
        {
            var key = await export.ExportAsync(leaf.Id, ExportFormat.Key, new ExportOptions { IncludeKey = true }, "test");
            Assert.True(key.IsSuccess, key.Error);
        }
    }

    [Fact]
    public async Task Issue_OneCaHeld_IssuesFromItWithoutANewRoot()
    {
        var storage = (await PanelStorage.OpenAsync(Data)).Value;
        var first = await new SoleAuthorityIssuer(storage, TimeProvider.System).IssueAsync(Request("nas1.home.arpa"), "test");

        var second = await new SoleAuthorityIssuer(storage, TimeProvider.System).IssueAsync(Request("nas2.home.arpa"), "test");

        Assert.True(first.Value.AuthorityCreated);
        Assert.False(second.Value.AuthorityCreated);
        Assert.Equal(first.Value.AuthorityId, second.Value.AuthorityId);
        Assert.Single(await new AuthorityService(storage, TimeProvider.System).ListAsync());
    }

    [Fact]
    public async Task Issue_TwoCasHeld_RefusedNamingBothAndNothingIssued()
    {
        var storage = (await PanelStorage.OpenAsync(Data)).Value;
        var authorities = new AuthorityService(storage, TimeProvider.System);
        var a = await authorities.CreateRootAsync(Request("a.home.arpa").Root, "test");
        var b = await authorities.CreateRootAsync(Request("b.home.arpa").Root, "test");

        var result = await new SoleAuthorityIssuer(storage, TimeProvider.System).IssueAsync(Request("nas.home.arpa"), "test");

        Assert.False(result.IsSuccess);
        Assert.Contains($"2 CAs are held here; choose one with --ca ({a.Value.Id}, {b.Value.Id})", result.Error, StringComparison.Ordinal);
        await using var db = storage.CreateContext();
        Assert.Equal(2, await db.Certificates.CountAsync());
    }
}
