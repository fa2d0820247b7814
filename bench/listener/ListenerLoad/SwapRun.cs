using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Hosting;

namespace ListenerLoad;

/// <summary>
/// The panel (swappable certificate) and a static-certificate Kestrel in this process; the load from a second
/// process. Reports handshake rates of both, failed requests while certificates are applied, and how long after
/// each apply call new handshakes got the new certificate.
/// </summary>
internal static class SwapRun
{
    private const int Concurrency = 4;
    private static readonly string[] Quiet = ["--Logging:LogLevel:Default=Warning"];

    public static async Task<int> RunAsync(int seconds)
    {
        var data = Directory.CreateTempSubdirectory("listener-load-").FullName;
        try
        {
            await RunInAsync(data, seconds);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }

        return 0;
    }

    private static async Task RunInAsync(string data, int seconds)
    {
        var built = await PanelHost.BuildAsync(new ServeOptions { DataDirectory = data, HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback }, hostArgs: Quiet);
        await using var panel = built.Value;
        await panel.StartAsync();
        var panelPort = panel.Services.GetRequiredService<ListenerEndpoint>().Resolve().Value.Port;
        var listener = panel.Services.GetRequiredService<ListenerService>();
        var certificates = await CreateCertificatesAsync(data, 6);

        var holder = panel.Services.GetRequiredService<CertificateHolder>();
        await using var fixedKestrel = await StartBareAsync(l => l.UseHttps(holder.Current.Certificate));
        var staticPort = PortOf(fixedKestrel);
        // The same bare app as the static one but with the panel's per-handshake callback: tells the TLS path's cost
        // apart from the panel app's own pipeline.
        await using var bareCallback = await StartBareAsync(l => l.UseSwappableCertificate(holder));
        var bareCallbackPort = PortOf(bareCallback);

        Console.WriteLine($"panel https://127.0.0.1:{panelPort}  static https://127.0.0.1:{staticPort}  concurrency {Concurrency}  {Environment.ProcessorCount} cores");
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        // Warm-up, not counted: the first phase would otherwise pay for JIT and tiering of the whole TLS and HTTP path.
        await RunClientAsync(panelPort, 3, data, "warm-up-panel");
        await RunClientAsync(staticPort, 3, data, "warm-up-static");
        await RunClientAsync(bareCallbackPort, 3, data, "warm-up-bare");
        var rates = new Dictionary<string, List<double>> { ["swappable"] = [], ["static"] = [], ["bare-callback"] = [] };
        var ports = new Dictionary<string, int> { ["swappable"] = panelPort, ["static"] = staticPort, ["bare-callback"] = bareCallbackPort };
        // ABCCBA order, so drift in the machine's load does not favour any of them.
        foreach (var (round, name) in new[] { (1, "swappable"), (1, "static"), (1, "bare-callback"), (2, "bare-callback"), (2, "static"), (2, "swappable") })
        {
            var result = await RunClientAsync(ports[name], seconds, data, $"rate-{name}-{round}");
            rates[name].Add(double.Parse(result.Split("rate=")[1].Split(' ', '\n')[0], CultureInfo.InvariantCulture));
            Console.WriteLine($"round {round} {name,-9}: {result}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"handshake rate swappable/static: {rates["swappable"].Sum() / rates["static"].Sum():0.00}x, bare-callback/static: {rates["bare-callback"].Sum() / rates["static"].Sum():0.00}x"));

        var log = Path.Combine(data, "swap.log");
        using var client = ChildProcess.Start("client", panelPort.ToString(CultureInfo.InvariantCulture), (seconds * 2).ToString(CultureInfo.InvariantCulture),
            Concurrency.ToString(CultureInfo.InvariantCulture), log);
        await Task.Delay(1000);
        var applies = new List<(long Start, long End, string Thumbprint)>();
        var refused = 0;
        for (var i = 0; !client.HasExited && applies.Count < 500; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var applied = await listener.ApplyAsync(certificates[i % certificates.Count], "localhost", confirmed: false, "bench");
            if (applied.IsSuccess)
            {
                applies.Add((start, Stopwatch.GetTimestamp(), applied.Value.Thumbprint));
            }
            else
            {
                refused++;
                Console.WriteLine($"apply refused: {applied.Error}");
            }

            await Task.Delay(200);
        }

        var summary = await client.StandardOutput.ReadToEndAsync();
        await client.WaitForExitAsync();
        Console.WriteLine($"during {applies.Count} applies ({refused} refused): {summary.Trim()}");
        Report(applies, await File.ReadAllLinesAsync(log));
    }

    private static void Report(List<(long Start, long End, string Thumbprint)> applies, string[] lines)
    {
        var handshakes = lines.Select(l => l.Split(' '))
            .Select(p => (Started: long.Parse(p[0], CultureInfo.InvariantCulture), At: long.Parse(p[1], CultureInfo.InvariantCulture), Thumbprint: p[2]))
            .OrderBy(h => h.At).ToList();
        var pickup = new List<double>();
        var pickupByStart = new List<double>();
        var applyMs = applies.Select(a => Stopwatch.GetElapsedTime(a.Start, a.End).TotalMilliseconds).ToList();
        var stale = 0;
        var newer = 0;
        for (var i = 0; i < applies.Count; i++)
        {
            var (start, end, thumbprint) = applies[i];
            var next = i + 1 < applies.Count ? applies[i + 1].Start : long.MaxValue;
            var first = handshakes.FirstOrDefault(h => h.At >= start && h.At < next && h.Thumbprint == thumbprint);
            if (first.Thumbprint is not null)
            {
                pickup.Add(Stopwatch.GetElapsedTime(start, first.At).TotalMilliseconds);
            }

            var firstStarted = handshakes.Where(h => h.Started >= start && h.Started < next && h.Thumbprint == thumbprint).OrderBy(h => h.Started).FirstOrDefault();
            if (firstStarted.Thumbprint is not null)
            {
                pickupByStart.Add(Stopwatch.GetElapsedTime(start, firstStarted.Started).TotalMilliseconds);
            }

            // A connection begun after the apply call returned must not get the certificate it replaced. (One begun just
            // before the next apply may get the next one: its ClientHello can reach the server after that swap.)
            if (i > 0)
            {
                var replaced = applies[i - 1].Thumbprint;
                stale += handshakes.Count(h => h.Started > end && h.Started < next && h.Thumbprint == replaced);
                newer += handshakes.Count(h => h.Started > end && h.Started < next && h.Thumbprint != replaced && h.Thumbprint != thumbprint);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"apply call (pre-flight, persist, swap, confirming handshake): median {Percentile(applyMs, 0.5):0.0} ms, p95 {Percentile(applyMs, 0.95):0.0} ms, max {applyMs.DefaultIfEmpty().Max():0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"apply call start -> first client connection begun that got the new certificate: median {Percentile(pickupByStart, 0.5):0.0} ms, p95 {Percentile(pickupByStart, 0.95):0.0} ms, max {pickupByStart.DefaultIfEmpty().Max():0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"apply call start -> first client handshake completed with the new certificate: median {Percentile(pickup, 0.5):0.0} ms, p95 {Percentile(pickup, 0.95):0.0} ms, max {pickup.DefaultIfEmpty().Max():0.0} ms ({pickup.Count} of {applies.Count} applies seen)"));
        Console.WriteLine($"connections begun after an apply returned that got the certificate it replaced: {stale} (got the next apply's: {newer})");
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }

    private static async Task<string> RunClientAsync(int port, int seconds, string data, string name)
    {
        using var client = ChildProcess.Start("client", port.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture),
            Concurrency.ToString(CultureInfo.InvariantCulture), Path.Combine(data, name + ".log"));
        var output = await client.StandardOutput.ReadToEndAsync();
        await client.WaitForExitAsync();
        return output.Trim();
    }

    private static async Task<List<int>> CreateCertificatesAsync(string data, int count)
    {
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(data))).Value;
        var ids = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var created = await new SelfSignedService(storage, TimeProvider.System).CreateAsync(new SelfSignedRequest
            {
                Root = new RootCaOptions { Subject = DistinguishedName.Create($"Bench Root {i}").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
                Server = new LeafOptions
                {
                    Subject = DistinguishedName.Create("localhost").Value,
                    SubjectAlternativeNames = SanParser.ParseAll(["localhost", "127.0.0.1"]).Value,
                    KeyAlgorithm = KeyAlgorithm.EcdsaP256,
                },
                SetAsDefault = false,
            }, "bench");
            ids.Add(created.Value.CertificateId);
        }

        return ids;
    }

    private static int PortOf(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;

    /// <summary>Kestrel with only /health, HTTPS configured by <paramref name="https"/>.</summary>
    private static async Task<WebApplication> StartBareAsync(Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions> https)
    {
        var builder = WebApplication.CreateBuilder(Quiet);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, https));
        var app = builder.Build();
        app.MapGet("/health", () => Results.Text("ok"));
        await app.StartAsync();
        return app;
    }
}
