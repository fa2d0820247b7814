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
        var built = await PanelHost.BuildAsync(new ServeOptions { DataDirectory = data, HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback }, hostArgs: Quiet);
        await using var panel = built.Value;
        await panel.StartAsync();
        var panelPort = panel.Services.GetRequiredService<ListenerEndpoint>().Resolve().Value.Port;
        var listener = panel.Services.GetRequiredService<ListenerService>();
        var certificates = await CreateCertificatesAsync(data, 6);

        await using var fixedKestrel = await StartStaticAsync(panel.Services.GetRequiredService<CertificateHolder>().Current.Certificate);
        var staticPort = new Uri(fixedKestrel.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;

        Console.WriteLine($"panel https://127.0.0.1:{panelPort}  static https://127.0.0.1:{staticPort}  concurrency {Concurrency}  {Environment.ProcessorCount} cores");
        for (var round = 1; round <= 2; round++)
        {
            Console.WriteLine($"round {round} swappable: {await RunClientAsync(panelPort, seconds, data, $"rate-s{round}")}");
            Console.WriteLine($"round {round} static:    {await RunClientAsync(staticPort, seconds, data, $"rate-f{round}")}");
        }

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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
        return 0;
    }

    private static void Report(List<(long Start, long End, string Thumbprint)> applies, string[] lines)
    {
        var handshakes = lines.Select(l => l.Split(' ')).Select(p => (At: long.Parse(p[0], CultureInfo.InvariantCulture), Thumbprint: p[1])).OrderBy(h => h.At).ToList();
        var pickup = new List<double>();
        var applyMs = applies.Select(a => Stopwatch.GetElapsedTime(a.Start, a.End).TotalMilliseconds).ToList();
        var stale = 0;
        for (var i = 0; i < applies.Count; i++)
        {
            var (start, end, thumbprint) = applies[i];
            var next = i + 1 < applies.Count ? applies[i + 1].Start : long.MaxValue;
            var first = handshakes.FirstOrDefault(h => h.At >= start && h.At < next && h.Thumbprint == thumbprint);
            if (first.Thumbprint is not null)
            {
                pickup.Add(Stopwatch.GetElapsedTime(start, first.At).TotalMilliseconds);
            }

            // A handshake that completed after the apply call returned must not show an older certificate.
            stale += handshakes.Count(h => h.At > end && h.At < next && h.Thumbprint != thumbprint);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"apply call (pre-flight, persist, swap, confirming handshake): median {Percentile(applyMs, 0.5):0.0} ms, p95 {Percentile(applyMs, 0.95):0.0} ms, max {applyMs.DefaultIfEmpty().Max():0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"apply call start -> first client handshake with the new certificate: median {Percentile(pickup, 0.5):0.0} ms, p95 {Percentile(pickup, 0.95):0.0} ms, max {pickup.DefaultIfEmpty().Max():0.0} ms ({pickup.Count} of {applies.Count} applies seen)"));
        Console.WriteLine($"handshakes completed after an apply returned that still showed the old certificate: {stale}");
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

    private static async Task<WebApplication> StartStaticAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateBuilder(Quiet);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        app.MapGet("/health", () => Results.Text("ok"));
        await app.StartAsync();
        return app;
    }
}
