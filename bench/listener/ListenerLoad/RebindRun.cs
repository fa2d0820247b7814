using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SynoCertPanel.Web.Hosting;

namespace ListenerLoad;

/// <summary>
/// Controlled restart of the listener: moves it back and forth between two ports (the new binding is bound beside
/// the old one) and between 127.0.0.1 and 0.0.0.0 on one port (the new binding replaces the old one), while clients
/// in this process keep making new TLS connections to the old endpoint until each move returns. Reports how long a
/// move takes (bind + handshake confirmation) and how many of those requests failed.
/// </summary>
internal static class RebindRun
{
    private const int Concurrency = 4;
    private static readonly string[] Quiet = ["--Logging:LogLevel:Default=Warning"];

    public static async Task<int> RunAsync(int moves)
    {
        var data = Directory.CreateTempSubdirectory("listener-rebind-").FullName;
        try
        {
            var first = FreePort();
            var second = FreePort();
            var built = await PanelHost.BuildAsync(new ServeOptions { DataDirectory = data, HttpsPort = first, HttpPort = 0, BindAddress = IPAddress.Loopback }, hostArgs: Quiet);
            await using var panel = built.Value;
            await panel.StartAsync();
            var rebinder = panel.Services.GetRequiredService<ListenerRebinder>();
            Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
            // Warm-up, not counted: JIT of the rebind and TLS paths.
            await MoveAsync(rebinder, new ListenerBinding(second, 0, [IPAddress.Loopback]), second);
            await MoveAsync(rebinder, new ListenerBinding(first, 0, [IPAddress.Loopback]), first);

            await ReportAsync("port change (beside)", moves, i => new ListenerBinding(i % 2 == 0 ? second : first, 0, [IPAddress.Loopback]), rebinder);
            await ReportAsync("address change on one port (replace)", moves, i => new ListenerBinding(first, 0, [i % 2 == 0 ? IPAddress.Any : IPAddress.Loopback]), rebinder);
            Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }

        return 0;
    }

    private static async Task ReportAsync(string name, int moves, Func<int, ListenerBinding> target, ListenerRebinder rebinder)
    {
        var times = new List<double>();
        var ok = 0;
        var failed = 0;
        var refused = 0;
        for (var i = 0; i < moves; i++)
        {
            var oldPort = rebinder.HttpsPort;
            var (ms, succeeded, requestsOk, requestsFailed) = await MoveAsync(rebinder, target(i), oldPort);
            refused += succeeded ? 0 : 1;
            times.Add(ms);
            ok += requestsOk;
            failed += requestsFailed;
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {moves} moves ({refused} refused), move median {times[times.Count / 2]:0} ms, max {times[^1]:0} ms; requests to the old endpoint during the moves: {ok} ok, {failed} failed"));
    }

    private static async Task<(double Ms, bool Succeeded, int Ok, int Failed)> MoveAsync(ListenerRebinder rebinder, ListenerBinding next, int oldPort)
    {
        using var stop = new CancellationTokenSource();
        var ok = 0;
        var failed = 0;
        var endpoint = new IPEndPoint(IPAddress.Loopback, oldPort);
        var clients = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await LoadClient.OneRequestAsync(endpoint);
                if (result.Error is null)
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToList();
        await Task.Delay(100);
        var started = Stopwatch.GetTimestamp();
        var moved = await rebinder.RebindAsync(next, "bench");
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        if (!moved.IsSuccess)
        {
            Console.WriteLine($"move refused: {moved.Error}");
        }

        return (elapsed, moved.IsSuccess, ok, failed);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
