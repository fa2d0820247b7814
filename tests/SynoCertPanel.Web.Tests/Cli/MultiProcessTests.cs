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
    // Each process is a full .NET start (about 1.5 s of CPU): 48 took 81 s on a busy 2-core machine, 32 keep CI near a minute.
    private const int Processes = 32;
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

    [Fact]
    public async Task CertCreate_ManyProcessesAtOnce_AllSucceedAndAreListed()
    {
        await CreateCaAsync();
        using var slots = new SemaphoreSlim(AtOnce);
        var clock = Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, Processes).Select(async i =>
        {
            await slots.WaitAsync();
            try
            {
                return await CliProcess.RunAsync("cert", "create", "--cn", $"host{i}.home.arpa", "--key", "p256", "--data", Data);
            }
            finally
            {
                slots.Release();
            }
        }));

        log.WriteLine($"{Processes} processes, {AtOnce} at a time: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        Assert.DoesNotContain(results, r => r.Error.Contains("database is locked", StringComparison.OrdinalIgnoreCase));
        var list = await CliProcess.RunAsync("cert", "list", "--json", "--data", Data);
        using var json = JsonDocument.Parse(list.Output);
        var described = json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("description").GetString()).ToHashSet();
        Assert.All(Enumerable.Range(0, Processes), i => Assert.Contains($"host{i}.home.arpa", described));
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

        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={new DataDirectory(Data).DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string?)await check.ExecuteScalarAsync());
        }

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
