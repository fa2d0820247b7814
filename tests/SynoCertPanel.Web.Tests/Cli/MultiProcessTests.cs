using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using Xunit.Abstractions;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>Several `synocertpanel` processes on one data directory, as cron jobs and deploy hooks run them.</summary>
[Collection(nameof(ProcessHeavyTests))]
public sealed class MultiProcessTests(ITestOutputHelper log) : IDisposable
{
    // The issue's figure: hundreds of processes, 16 at a time. Each is a full .NET start that opens the database
    // (about 1.5 s of CPU, most of it EF Core's first query), so 200 cost two to three minutes on 2 cores.
    private const int Processes = 200;
    private const int AtOnce = 16;

    private readonly string _root = Directory.CreateTempSubdirectory("synocert-procs-").FullName;

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<int> CreateCaAsync()
    {
        var ca = await CliProcess.RunAsync("ca", "create", "--cn", "Home Root", "--key", "p256", "--json", "--data", Data);
        Assert.True(ca.ExitCode == 0, ca.Error);
        using var json = JsonDocument.Parse(ca.Output);
        return json.RootElement.GetProperty("id").GetInt32();
    }

    private static async Task<(int ExitCode, string Output, string Error)[]> RunManyAsync(int count, Func<int, string[]> args)
    {
        using var slots = new SemaphoreSlim(AtOnce);
        return await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await slots.WaitAsync();
            try
            {
                var start = CliProcess.StartInfo(args(i));
                // Measured on the 2-core runner: without tiered PGO's instrumentation a short run takes about 11 % less CPU.
                start.Environment["DOTNET_TieredPGO"] = "0";
                return await CliProcess.RunAsync(start);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    private async Task IntegrityCheckAsync()
    {
        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection($"Data Source={new DataDirectory(Data).DatabasePath}");
        await connection.OpenAsync();
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", (string?)await check.ExecuteScalarAsync());
    }

    [Fact]
    public async Task CertCreate_HundredsOfProcessesSixteenAtATime_AllSucceedWithDistinctSerialsFromOneCa()
    {
        var authorityId = await CreateCaAsync();
        var clock = Stopwatch.StartNew();

        var results = await RunManyAsync(Processes, i => ["cert", "create", "--cn", $"host{i}.home.arpa", "--key", "p256", "--data", Data]);

        log.WriteLine($"{Processes} processes, {AtOnce} at a time: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        Assert.DoesNotContain(results, r => r.Error.Contains("database is locked", StringComparison.OrdinalIgnoreCase));
        await IntegrityCheckAsync();
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;
        await using var db = storage.CreateContext();
        Assert.Equal(authorityId, Assert.Single(await db.Authorities.Select(a => a.Id).ToListAsync()));
        var issued = await db.Certificates.Where(c => c.IssuedByAuthorityId == authorityId).ToListAsync();
        Assert.Equal(Processes, issued.Count);
        Assert.Equal(Processes, issued.Select(c => Records.ToCertificate(c).SerialNumberHex).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(Processes, await db.IssuedSerials.CountAsync(s => s.AuthorityId == authorityId));
        Assert.Equal(Enumerable.Range(0, Processes).Select(i => $"host{i}.home.arpa").Order(), issued.Select(c => c.Description).Order());
    }

    [Fact]
    public async Task CertCreate_ManyProcessesOnAnEmptyDirectory_OneRootIssuesThemAll()
    {
        const int count = AtOnce;

        var results = await RunManyAsync(count, i => ["cert", "create", "--cn", $"first{i}.home.arpa", "--key", "p256", "--json", "--data", Data]);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        var authorityIds = results.Select(r =>
        {
            using var json = JsonDocument.Parse(r.Output);
            return json.RootElement.GetProperty("authorityId").GetInt32();
        }).Distinct().ToList();
        await IntegrityCheckAsync();
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;
        await using var db = storage.CreateContext();
        var authority = Assert.Single(await db.Authorities.Include(a => a.Certificate).ToListAsync());
        Assert.Equal([authority.Id], authorityIds);
        var root = Records.ToCertificate(authority.Certificate);
        var leaves = await db.Certificates.Where(c => c.Id != authority.CertificateId).ToListAsync();
        Assert.Equal(count, leaves.Count);
        Assert.All(leaves, leaf => Assert.True(leaf.IssuedByAuthorityId == authority.Id && Records.ToCertificate(leaf).IsSignedBy(root), leaf.Description));
        var export = new ExportService(storage, TimeProvider.System);
        foreach (var leaf in leaves)
        {
            var key = await export.ExportAsync(leaf.Id, ExportFormat.Key, new ExportOptions { IncludeKey = true }, "test");
            Assert.True(key.IsSuccess, key.Error);
        }
    }

    [Fact]
    public async Task CertCreate_ProcessKilledMidWrite_DatabaseStaysConsistent()
    {
        var authorityId = await CreateCaAsync();
        var dll = CliProcess.Dll;
        // A loop of writers in one process tree; killing the tree at different moments lands inside a write sooner or later.
        foreach (var delay in new[] { 2000, 2600, 3200, 3800 })
        {
            var loop = new ProcessStartInfo("bash") { UseShellExecute = false };
            loop.ArgumentList.Add("-c");
            loop.ArgumentList.Add($"i=0; while true; do i=$((i+1)); dotnet '{dll}' cert create --cn \"k{delay}-$i.home.arpa\" --key p256 --data '{Data}' >/dev/null 2>&1 || exit 1; done");
            using var writer = Process.Start(loop)!;
            await Task.Delay(delay);
            writer.Kill(entireProcessTree: true);
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await writer.WaitForExitAsync(stopped.Token);
        }

        await IntegrityCheckAsync();
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;
        await using var db = storage.CreateContext();
        var certificates = await db.Certificates.Where(c => c.IssuedByAuthorityId == authorityId).Select(c => new { c.Id, c.PrivateKeyId }).ToListAsync();
        var serials = await db.IssuedSerials.CountAsync(s => s.AuthorityId == authorityId);
        log.WriteLine($"{certificates.Count} certificates stored before the kills");
        Assert.Equal(certificates.Count, serials);
        var export = new ExportService(storage, TimeProvider.System);
        foreach (var certificate in certificates)
        {
            Assert.NotNull(certificate.PrivateKeyId);
            var key = await export.ExportAsync(certificate.Id, ExportFormat.Key, new ExportOptions { IncludeKey = true }, "test");
            Assert.True(key.IsSuccess, key.Error);
        }
    }
}
