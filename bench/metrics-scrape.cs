// What a Prometheus scrape of /metrics costs at 10 000 certificates: the whole GET /metrics with a metrics:read token
// through Kestrel over HTTPS on loopback (token check, one plain SQLite read of the inventory's dates, the gauges set,
// the text written), and the size of the answer.
// Run from the repository root: dotnet run -c Release bench/metrics-scrape.cs [COUNT]
#:project ../src/SynoCertPanel.Web/SynoCertPanel.Web.csproj
#:property PublishAot=false
#:property TreatWarningsAsErrors=false
#:property EnforceCodeStyleInBuild=false
#:property AnalysisLevel=none
#:property GenerateDocumentationFile=false
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Metrics;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Hosting;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var directory = Directory.CreateTempSubdirectory("synocert-bench-metrics-").FullName;
try
{
    var data = Path.Combine(directory, "data");
    var storage = (await PanelStorage.OpenAsync(new DataDirectory(data))).Value;
    var created = await new SelfSignedService(storage, TimeProvider.System).CreateAsync(new SelfSignedRequest
    {
        Root = new RootCaOptions { Subject = DistinguishedName.Create("Bench Root CA").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
        Server = new LeafOptions
        {
            Subject = DistinguishedName.Create("host.home.arpa").Value,
            SubjectAlternativeNames = SanParser.ParseAll(["host.home.arpa"]).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        },
        Description = "bench",
    }, "bench");
    if (!created.IsSuccess)
    {
        throw new InvalidOperationException(created.Error);
    }

    // The scrape reads columns only (never the DER), so copies of one real row with their own names, dates and
    // fingerprints stand for 10 000 certificates; one transaction, so seeding takes a second, not an fsync per row.
    await using (var connection = new SqliteConnection(new DataDirectory(data).ConnectionString))
    {
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO Certificates (Description, Subject, CommonName, AlternativeNames, Issuer, SerialNumber, NotBefore, NotAfter, KeyDescription,
                Sha256Fingerprint, Source, IsCertificateAuthority, Der, ChainPem, PrivateKeyId, IssuedByAuthorityId, ReplacedById, CreatedAt)
            SELECT $description, 'CN=' || $name, $name, $name, Issuer, $serial, NotBefore, NotBefore + $lifetime, KeyDescription,
                $fingerprint, Source, 0, Der, ChainPem, PrivateKeyId, IssuedByAuthorityId, NULL, CreatedAt
            FROM Certificates WHERE CommonName = 'host.home.arpa'
            """;
        var description = command.Parameters.Add("$description", SqliteType.Text);
        var name = command.Parameters.Add("$name", SqliteType.Text);
        var serial = command.Parameters.Add("$serial", SqliteType.Text);
        var lifetime = command.Parameters.Add("$lifetime", SqliteType.Integer);
        var fingerprint = command.Parameters.Add("$fingerprint", SqliteType.Text);
        for (var i = 0; i < count; i++)
        {
            description.Value = $"Service {i * 7919 % 10007:D5}";
            name.Value = $"host{i:D5}.home.arpa";
            serial.Value = i.ToString("X8", CultureInfo.InvariantCulture);
            // Lifetimes from 1 to 400 days, so every state but "replaced" occurs.
            lifetime.Value = TimeSpan.FromDays(1 + (i % 400)).Ticks;
            fingerprint.Value = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    var token = (await new ApiTokenService(storage, TimeProvider.System).CreateAsync(
        new ApiTokenRequest { Name = "prometheus", Scopes = [ApiScopes.MetricsRead] }, "bench")).Value.Secret;
    await new MetricsAccessStore(storage, TimeProvider.System).EnableAsync(null, "bench");

    var app = (await PanelHost.BuildAsync(new ServeOptions { DataDirectory = data, HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback },
        hostArgs: ["--Logging:LogLevel:Default=Warning"])).Value;
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator })
    {
        BaseAddress = new Uri(address),
    };
    client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);

    var size = 0;
    var lines = 0;
    var times = new List<double>();
    for (var i = 0; i < 5 + 50; i++)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync("/metrics");
        var body = await response.Content.ReadAsByteArrayAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"/metrics: {(int)response.StatusCode}");
        }

        if (i >= 5)
        {
            times.Add(elapsed);
        }

        size = body.Length;
        lines = body.Count(b => b == (byte)'\n');
    }

    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"GET /metrics at {count + 2} certificates (50 scrapes after 5 warm-up): p50 {times[times.Count / 2]:F1} ms, p95 {times[(int)(times.Count * 0.95)]:F1} ms, max {times[^1]:F1} ms; {size / 1024.0:F0} KiB, {lines} lines"));
    await app.StopAsync();
    await app.DisposeAsync();
}
finally
{
    Directory.Delete(directory, recursive: true);
}
