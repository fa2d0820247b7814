using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ListenerLoad;

/// <summary>
/// Starts the published panel and measures the time to the first HTTPS 200 and the resident memory after it has sat
/// idle: on an empty data directory, restarted on that directory, and after serving its first pages; under a few runtime
/// settings; and, for scale, a bare Kestrel that only answers over HTTPS, measured the same way in the same run.
/// </summary>
internal static class Footprint
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(15);

    private static readonly (string Name, (string Key, string Value)[] Environment)[] Variants =
    [
        ("defaults (server GC, no dynamic PGO)", []),
        ("DOTNET_gcServer=0", [("DOTNET_gcServer", "0")]),
        ("DOTNET_GCHeapHardLimit=0x4000000 (64 MB)", [("DOTNET_GCHeapHardLimit", "0x4000000")]),
        ("DOTNET_TieredPGO=1 (the runtime's default)", [("DOTNET_TieredPGO", "1")]),
    ];

    public static async Task<int> RunAsync(string app)
    {
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"| what | first HTTPS 200 | RSS idle {Idle.TotalSeconds:0} s after |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, environment) in Variants)
        {
            var data = Directory.CreateTempSubdirectory("listener-footprint-").FullName;
            try
            {
                Report($"{name}, empty data directory", await MeasureAsync(Panel(app, data, environment), pages: false));
                if (environment.Length == 0)
                {
                    Report($"{name}, restarted on that data directory", await MeasureAsync(Panel(app, data, environment), pages: false));
                    Report($"{name}, restarted, then GET /setup and /login", await MeasureAsync(Panel(app, data, environment), pages: true));
                }
            }
            finally
            {
                Directory.Delete(data, recursive: true);
            }
        }

        Report("bare Kestrel answering over HTTPS (this program's `floor` mode), for scale",
            await MeasureAsync(port => Start(Environment.ProcessPath!, ["floor", port.ToString(CultureInfo.InvariantCulture)]), pages: false));
        return 0;
    }

    /// <summary>
    /// The panel against the bare reference app (bench/listener/BareBlazor: Blazor Server, MudBlazor and EF Core on SQLite,
    /// published the same way), measured in turns in the same run: first HTTPS 200 on an empty data directory, idle RSS
    /// without a page (first start and restart), and idle RSS after one page (the panel's sign-in page, the reference's home page). Medians of
    /// <paramref name="runs"/> turns and the panel's ratio to the reference.
    /// </summary>
    public static async Task<int> RatioAsync(string panel, string bare, int runs)
    {
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        var results = new Dictionary<string, List<(TimeSpan FirstOk, long RssKb)>>();
        void Add(string key, (TimeSpan, long) value)
        {
            if (!results.TryGetValue(key, out var list))
            {
                results[key] = list = [];
            }

            list.Add(value);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}: {value.Item1.TotalMilliseconds:0} ms, {value.Item2 / 1024.0:0.0} MB"));
        }

        for (var run = 0; run < runs; run++)
        {
            foreach (var (name, app, page) in ((string, string, string)[])[("panel", panel, "/login"), ("reference", bare, "/")])
            {
                var data = Directory.CreateTempSubdirectory("footprint-ratio-").FullName;
                try
                {
                    Add($"{name}, empty data directory, no page", await MeasureAsync(Panel(app, data, []), pages: []));
                    Add($"{name}, restarted, no page", await MeasureAsync(Panel(app, data, []), pages: []));
                    Add($"{name}, restarted, one page ({page})", await MeasureAsync(Panel(app, data, []), pages: [page]));
                }
                finally
                {
                    Directory.Delete(data, recursive: true);
                }
            }
        }

        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"| what (median of {runs}) | first HTTPS 200 | RSS idle {Idle.TotalSeconds:0} s after |");
        Console.WriteLine("|---|---|---|");
        foreach (var (key, list) in results)
        {
            Report(key, Median(list));
        }

        Console.WriteLine();
        foreach (var (panelKey, referenceKey) in (ReadOnlySpan<(string, string)>)[
            ("panel, empty data directory, no page", "reference, empty data directory, no page"),
            ("panel, restarted, no page", "reference, restarted, no page"),
            ("panel, restarted, one page (/login)", "reference, restarted, one page (/)")])
        {
            var ratio = (double)Median(results[panelKey]).RssKb / Median(results[referenceKey]).RssKb;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RSS ratio, {panelKey[7..]}: {ratio:0.00}× (target ≤ 1.10×)"));
        }

        return 0;
    }

    private static (TimeSpan FirstOk, long RssKb) Median(List<(TimeSpan FirstOk, long RssKb)> list) =>
        (list.Select(m => m.FirstOk).Order().ElementAt(list.Count / 2), list.Select(m => m.RssKb).Order().ElementAt(list.Count / 2));

    /// <summary>The `floor` child: Kestrel with one P-256 certificate and a single endpoint, nothing else.</summary>
    public static async Task<int> FloorAsync(int port)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        await using var app = builder.Build();
        app.MapGet("/health", () => "ok");
        await app.RunAsync();
        return 0;
    }

    private static void Report(string what, (TimeSpan FirstOk, long RssKb) measured) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {measured.FirstOk.TotalMilliseconds:0} ms | {measured.RssKb / 1024.0:0.0} MB |"));

    private static Func<int, Process> Panel(string app, string data, (string Key, string Value)[] environment) => port =>
        Start(app, ["serve", "--data", data, "--https-port", port.ToString(CultureInfo.InvariantCulture), "--http-port", "0"], environment);

    private static Process Start(string path, string[] arguments, (string Key, string Value)[]? environment = null)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static Task<(TimeSpan FirstOk, long RssKb)> MeasureAsync(Func<int, Process> start, bool pages) =>
        MeasureAsync(start, pages ? ["/setup", "/login"] : []);

    private static async Task<(TimeSpan FirstOk, long RssKb)> MeasureAsync(Func<int, Process> start, string[] pages)
    {
        var port = FreePort();
        var watch = Stopwatch.StartNew();
        using var process = start(port);

        try
        {
            var endpoint = new IPEndPoint(IPAddress.Loopback, port);
            while ((await LoadClient.OneRequestAsync(endpoint)).Thumbprint is null)
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("The process did not answer within 30 s.");
                }

                await Task.Delay(10);
            }

            var firstOk = watch.Elapsed;
            if (pages.Length > 0)
            {
                using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
                using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
                foreach (var page in pages)
                {
                    using var response = await client.GetAsync(new Uri(page, UriKind.Relative));
                    Console.Error.WriteLine($"GET {page}: {(int)response.StatusCode}");
                }
            }

            await Task.Delay(Idle);
            var rss = File.ReadAllLines($"/proc/{process.Id}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return (firstOk, long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
