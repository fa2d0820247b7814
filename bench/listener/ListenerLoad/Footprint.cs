using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ListenerLoad;

/// <summary>
/// Starts the published panel on an empty data directory under several runtime settings and measures the time
/// to the first HTTPS 200 and the resident memory after it has sat idle.
/// </summary>
internal static class Footprint
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(15);

    private static readonly (string Name, (string Key, string Value)[] Environment)[] Variants =
    [
        ("defaults (server GC, from the Web SDK)", []),
        ("DOTNET_gcServer=0", [("DOTNET_gcServer", "0")]),
        ("DOTNET_gcServer=0 DOTNET_GCConserveMemory=7", [("DOTNET_gcServer", "0"), ("DOTNET_GCConserveMemory", "7")]),
        ("DOTNET_GCHeapHardLimit=0x4000000 (64 MB)", [("DOTNET_GCHeapHardLimit", "0x4000000")]),
        ("DOTNET_gcServer=0 DOTNET_GCHeapHardLimit=0x4000000", [("DOTNET_gcServer", "0"), ("DOTNET_GCHeapHardLimit", "0x4000000")]),
        ("DOTNET_TieredPGO=0", [("DOTNET_TieredPGO", "0")]),
        ("DOTNET_gcServer=0 DOTNET_TieredPGO=0", [("DOTNET_gcServer", "0"), ("DOTNET_TieredPGO", "0")]),
    ];

    public static async Task<int> RunAsync(string app)
    {
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"| settings | first HTTPS 200 (empty data dir) | RSS idle {Idle.TotalSeconds:0} s after |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, environment) in Variants)
        {
            var (firstOk, rss) = await MeasureAsync(app, environment);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {firstOk.TotalMilliseconds:0} ms | {rss / 1024.0:0.0} MB |"));
        }

        return 0;
    }

    private static async Task<(TimeSpan FirstOk, long RssKb)> MeasureAsync(string app, (string Key, string Value)[] environment)
    {
        var data = Directory.CreateTempSubdirectory("listener-footprint-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo(app) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["serve", "--data", data, "--https-port", port.ToString(CultureInfo.InvariantCulture), "--http-port", "0"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        while ((await LoadClient.OneRequestAsync(endpoint)).Thumbprint is null)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("The panel did not answer within 30 s.");
            }

            await Task.Delay(10);
        }

        var firstOk = watch.Elapsed;
        await Task.Delay(Idle);
        var rss = File.ReadAllLines($"/proc/{process.Id}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        process.Kill();
        await process.WaitForExitAsync();
        Directory.Delete(data, recursive: true);
        return (firstOk, long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
