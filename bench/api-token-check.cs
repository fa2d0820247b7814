// What a bearer token costs per API call: the check alone (ApiTokenCheck: parse, one indexed read, constant-time
// compare), then a whole authenticated call against /health on the same panel (real Kestrel on 127.0.0.1, HTTPS).
// Run from the repository root: dotnet run -c Release bench/api-token-check.cs
#:project ../src/SynoCertPanel.Web/SynoCertPanel.Web.csproj
#:property PublishAot=false
#:property TreatWarningsAsErrors=false
#:property EnforceCodeStyleInBuild=false
#:property AnalysisLevel=none
#:property GenerateDocumentationFile=false
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Hosting;

var directory = Directory.CreateTempSubdirectory("synocert-bench-token-").FullName;
try
{
    var data = Path.Combine(directory, "data");
    var storage = (await PanelStorage.OpenAsync(new DataDirectory(data))).Value;
    var tokens = new ApiTokenService(storage, TimeProvider.System);
    var token = (await tokens.CreateAsync(new ApiTokenRequest { Name = "bench", Scopes = [ApiScopes.CertificatesRead] }, "bench")).Value.Secret;
    var check = new ApiTokenCheck(storage, TimeProvider.System);

    var alone = await MeasureAsync(2000, 200, async () => { await check.CheckAsync(token); });
    Console.WriteLine($"ApiTokenCheck.CheckAsync: p50 {alone.P50:F3} ms, p95 {alone.P95:F3} ms");

    var app = (await PanelHost.BuildAsync(new ServeOptions { DataDirectory = data, HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback },
        hostArgs: ["--SynoCertPanel:Api:RequestsPerMinute=1000000", "--Logging:LogLevel:Default=Warning"])).Value;
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator })
    {
        BaseAddress = new Uri(address),
    };

    async Task GetAsync(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
        }
    }

    var health = await MeasureAsync(500, 200, () => GetAsync("/health", null));
    var list = await MeasureAsync(500, 200, () => GetAsync("/api/v1/certificates?limit=1", "Bearer " + token));
    Console.WriteLine($"GET /health, no token: p50 {health.P50:F2} ms, p95 {health.P95:F2} ms");
    Console.WriteLine($"GET /api/v1/certificates?limit=1 with a token (empty inventory): p50 {list.P50:F2} ms, p95 {list.P95:F2} ms");
    await app.StopAsync();
    await app.DisposeAsync();
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}

static async Task<(double P50, double P95)> MeasureAsync(int runs, int warmUp, Func<Task> action)
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
    return (times[runs / 2], times[runs * 95 / 100]);
}
