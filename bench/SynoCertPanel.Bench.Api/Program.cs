using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Hosting;

// `cert list` over the API: GET /api/v1/certificates on a real panel (Kestrel, HTTPS on 127.0.0.1, a bearer token)
// over COUNT seeded certificates, p50/p95 per page request, beside the same query on InventoryService alone.
// Usage: dotnet run -c Release --project bench/SynoCertPanel.Bench.Api [-- COUNT [RUNS]]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var folder = Directory.CreateTempSubdirectory("synocert-bench-api-");
try
{
    var data = Path.Combine(folder.FullName, "data");
    var storage = (await PanelStorage.OpenAsync(new DataDirectory(data))).Value;
    var seeding = Stopwatch.StartNew();
    await InventorySeeder.SeedAsync(storage, TimeProvider.System, count);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {count} certificates in {seeding.Elapsed.TotalSeconds:F1} s"));
    var token = (await new ApiTokenService(storage, TimeProvider.System)
        .CreateAsync(new ApiTokenRequest { Name = "bench", Scopes = [ApiScopes.CertificatesRead] }, "bench")).Value.Secret;

    var app = (await PanelHost.BuildAsync(new ServeOptions { DataDirectory = data, HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback },
        hostArgs: ["--SynoCertPanel:Api:RequestsPerMinute=100000000", "--Logging:LogLevel:Default=Warning"])).Value;
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    // Trust exactly the certificate the panel serves, as `--fingerprint` does.
    var served = Convert.ToHexString(SHA256.HashData(app.Services.GetRequiredService<CertificateHolder>().Current.Certificate.RawData));
    using var client = new HttpClient(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())) == served },
    })
    { BaseAddress = new Uri(address) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

    async Task<int> GetAsync(string query)
    {
        using var response = await client.GetAsync(new Uri("/api/v1/certificates" + query, UriKind.Relative));
        var body = await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode ? body.Length : throw new InvalidOperationException($"{query}: {(int)response.StatusCode}");
    }

    var inventory = new InventoryService(storage, TimeProvider.System);
    var late = count - 100;
    var cases = new (string Name, string Query, CertificateQuery Service, int Offset, int Limit)[]
    {
        ("first page (limit 100, expiry)", "", new CertificateQuery(), 0, 100),
        ("first page, limit 500", "?limit=500", new CertificateQuery(), 0, 500),
        ($"late page (offset {late})", $"?offset={late}", new CertificateQuery(), late, 100),
        ("search \"lab.lan\" (1/4 of rows)", "?search=lab.lan", new CertificateQuery { Search = "lab.lan" }, 0, 100),
        ("search \"host00123\" (one row)", "?search=host00123", new CertificateQuery { Search = "host00123" }, 0, 100),
        ("sort commonName descending", "?sort=commonName&descending=true", new CertificateQuery { Sort = CertificateSort.CommonName, Descending = true }, 0, 100),
    };

    Console.WriteLine($"| request ({runs} runs after 20 to warm up) | API p50 ms | API p95 ms | service alone p50 ms | answer bytes |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var (name, query, service, offset, limit) in cases)
    {
        var bytes = 0;
        var api = await MeasureAsync(runs, async () => bytes = await GetAsync(query));
        var alone = await MeasureAsync(runs, () => inventory.ListRangeAsync(service, offset, limit));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {api.P50:F2} | {api.P95:F2} | {alone.P50:F2} | {bytes} |"));
    }

    // What `cert list --server` does for the whole list: every page of 500, one after the other.
    var whole = await MeasureAsync(Math.Max(5, runs / 20), async () =>
    {
        for (var offset = 0; offset < count + 1; offset += 500)
        {
            await GetAsync(string.Create(CultureInfo.InvariantCulture, $"?offset={offset}&limit=500"));
        }
    }, warmUp: 2);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| whole list, {(count / 500) + 1} pages of 500 | {whole.P50:F1} | {whole.P95:F1} | | |"));
    await app.StopAsync();
    await app.DisposeAsync();
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    folder.Delete(recursive: true);
}

static async Task<(double P50, double P95)> MeasureAsync(int runs, Func<Task> action, int warmUp = 20)
{
    for (var i = 0; i < warmUp; i++)
    {
        await action();
    }

    var times = new double[runs];
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        await action();
        times[i] = watch.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    return (times[runs / 2], times[Math.Min(runs - 1, (int)Math.Ceiling(runs * 0.95) - 1)]);
}
