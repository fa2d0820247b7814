using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using SynoCertPanel.Api.Client;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Api;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Support;
using SynoCertPanel.Web.Tests.Trust;
using Client = SynoCertPanel.Api.Client.Models;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>
/// The HTTP client Kiota generates from the OpenAPI document (tests/SynoCertPanel.Api.Client): its openapi.json is the
/// document the panel serves, its code is what Kiota makes from that file, and it works against real panels.
/// </summary>
public sealed class ApiClientTests : IAsyncLifetime
{
    /// <summary>Set to 1 (scripts/api-client.sh does) to write the served document into the snapshot instead of comparing.</summary>
    private const string WriteSnapshotVariable = "SYNOCERT_WRITE_API_SNAPSHOT";

    private static readonly JsonSerializerOptions SnapshotFormat = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private ApiPanel _api = null!;

    private static string ClientProject => Path.Combine(RepositoryRoot.Path, "tests", "SynoCertPanel.Api.Client");

    private static string Snapshot => Path.Combine(ClientProject, "openapi.json");

    public async Task InitializeAsync() => _api = await ApiPanel.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Snapshot_IsTheDocumentThePanelServes()
    {
        var response = await _api.GetAsync(ApiDocument.Path, token: null);
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        // The servers entry is the address the document was asked from, which differs on every run.
        served.Remove("servers");

        if (Environment.GetEnvironmentVariable(WriteSnapshotVariable) == "1")
        {
            await File.WriteAllTextAsync(Snapshot, served.ToJsonString(SnapshotFormat).ReplaceLineEndings("\n") + "\n");
        }

        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(Snapshot));
        Assert.True(JsonNode.DeepEquals(served, snapshot),
            $"{Snapshot} is not the document the panel serves: run scripts/api-client.sh to refresh it and the generated client.");
    }

    [Fact]
    public async Task GeneratedCode_IsWhatKiotaMakesFromTheSnapshot()
    {
        var output = Directory.CreateTempSubdirectory("kiota-").FullName;
        try
        {
            var generated = await KiotaAsync(Snapshot, output);
            Assert.True(generated.ExitCode == 0, $"kiota generate failed ({generated.ExitCode}): {generated.Output}{generated.Error}");

            var expected = SourceFiles(Path.Combine(ClientProject, "Generated"));
            var made = SourceFiles(output);
            Assert.Equal(made.Keys.Order(StringComparer.Ordinal), expected.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, text) in made)
            {
                Assert.True(text == expected[name], $"Generated/{name} is not what Kiota makes from openapi.json: run scripts/api-client.sh.");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task GeneratedClient_ListsShowsAndCreates_OverPinnedTls()
    {
        var token = await _api.CreateTokenAsync("client", ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite);
        using var http = PinnedHttpClient(_api);
        var client = Client(http, _api, token.Secret);

        var list = await client.Api.V1.Certificates.GetAsync(request => request.QueryParameters.Search = "bravo");
        var bravo = Assert.Single(list!.Items!, item => item.Description == "bravo.home.arpa web");
        var shown = await client.Api.V1.Certificates[bravo.Id!.Value].GetAsync();
        Assert.Equal("CN=bravo.home.arpa", shown!.Subject);
        Assert.Contains("-----BEGIN CERTIFICATE-----", shown.CertificatePem, StringComparison.Ordinal);

        var created = await client.Api.V1.Certificates.PostAsync(new Client.CreateCertificateBody
        {
            AuthorityId = (await AuthorityOfAsync(shown.Issuer!)),
            AlternativeNames = ["printer.home.arpa", "192.168.1.40"],
            ValidityDays = 90,
        });

        Assert.Equal("CN=printer.home.arpa", created!.Subject);
        Assert.Equal(["DNS:printer.home.arpa", "IP:192.168.1.40"], created.AlternativeNames);
        await VerifyStrictAsync(created.CertificatePem!, created.ChainPem!, "192.168.1.40");
    }

    [Fact]
    public async Task GeneratedClient_Refusals_AreProblemDetailsWithThePagesSentence()
    {
        var reader = await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead);
        using var http = PinnedHttpClient(_api);
        var client = Client(http, _api, reader.Secret);

        var missing = await Assert.ThrowsAsync<Client.ProblemDetails>(() => client.Api.V1.Certificates[4242].GetAsync());
        Assert.Equal(404, missing.ResponseStatusCode);
        Assert.Equal("There is no certificate with id 4242.", missing.Detail);

        var forbidden = await Assert.ThrowsAsync<Client.ProblemDetails>(() => client.Api.V1.Certificates.PostAsync(new Client.CreateCertificateBody
        {
            RootCommonName = "Home Root CA",
            AlternativeNames = ["nas.home.arpa"],
        }));
        Assert.Equal(403, forbidden.ResponseStatusCode);
        Assert.Contains($"lacks the scope {ApiScopes.CertificatesWrite},", forbidden.Detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// The seed scenario's second NAS, with the generated client only: the second panel makes the CSR (its key never leaves
    /// it), the first signs it with its root, the second imports the signed certificate onto that key and serves it; curl
    /// trusting only the first panel's root then opens the second by name.
    /// </summary>
    [Fact]
    public async Task GeneratedClient_CsrRoundTripBetweenTwoPanels_SecondPanelServesTheFirstPanelsCertificate()
    {
        await using var second = await ApiPanel.StartAsync();
        var firstToken = await _api.CreateTokenAsync("nas2 signer", ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite);
        var secondToken = await second.CreateTokenAsync("nas1 delivery", ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite);
        using var firstHttp = PinnedHttpClient(_api);
        using var secondHttp = PinnedHttpClient(second);
        var first = Client(firstHttp, _api, firstToken.Secret);
        var nas2 = Client(secondHttp, second, secondToken.Secret);

        var request = await nas2.Api.V1.Requests.PostAsync(new Client.CreateRequestBody
        {
            CommonName = "nas2.home.arpa",
            AlternativeNames = ["nas2.home.arpa", "192.168.1.20"],
            Key = "p256",
            Description = "NAS 2 web",
        });
        Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----", request!.CsrPem, StringComparison.Ordinal);

        var root = Assert.Single((await first.Api.V1.Authorities.GetAsync())!.Items!, a => a.Subject == "CN=alpha.home.arpa Root CA");
        var signed = await first.Api.V1.Certificates.Sign.PostAsync(new Client.SignRequestBody
        {
            Csr = request.CsrPem,
            AuthorityId = root.Id,
            ValidityDays = 200,
            Description = "NAS 2 (signed for it)",
        });
        Assert.Equal("CN=alpha.home.arpa Root CA", signed!.Issuer);
        Assert.False(signed.HasPrivateKey);

        var imported = await nas2.Api.V1.Certificates.Import.PostAsync(new Client.ImportCertificateBody
        {
            Certificate = signed.CertificatePem,
            Chain = signed.ChainPem,
        });
        Assert.True(imported!.HasPrivateKey == true, "the signed certificate did not meet the key of the request made on the second panel");
        Assert.Equal(signed.Sha256Fingerprint, imported.Sha256Fingerprint);
        Assert.Empty((await nas2.Api.V1.Requests.GetAsync())!.Items!);
        await VerifyStrictAsync(imported.CertificatePem!, signed.ChainPem!, "192.168.1.20");

        // The API call comes to 127.0.0.1, which the certificate does not name: serving it is confirmed, as on the page.
        var served = await nas2.Api.V1.Certificates[imported.Id!.Value].Default.PostAsync(new Client.SetDefaultBody { Confirmed = true });
        Assert.Equal(imported.Id, served!.CertificateId);

        var folder = Directory.CreateTempSubdirectory("nas2-").FullName;
        try
        {
            var rootFile = Path.Combine(folder, "alpha-root.pem");
            await File.WriteAllTextAsync(rootFile, signed.ChainPem);
            var curl = await ExternalProcess.RunAsync("curl",
            [
                "--silent", "--show-error", "--fail", "--cacert", rootFile, "--resolve", $"nas2.home.arpa:{second.Panel.Port}:127.0.0.1",
                "--output", "/dev/null", "--write-out", "%{http_code}", $"https://nas2.home.arpa:{second.Panel.Port}{ApiDocument.Path}",
            ]);
            Assert.True(curl.ExitCode == 0, curl.Output + curl.Error);
            Assert.Equal("200", curl.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary><c>openssl verify -x509_strict</c> of a server certificate against its chain, for one of its addresses.</summary>
    internal static async Task VerifyStrictAsync(string certificatePem, string chainPem, string address)
    {
        var folder = Directory.CreateTempSubdirectory("verify-").FullName;
        try
        {
            var leaf = Path.Combine(folder, "leaf.pem");
            var chain = Path.Combine(folder, "chain.pem");
            await File.WriteAllTextAsync(leaf, certificatePem);
            await File.WriteAllTextAsync(chain, chainPem);
            var verified = await ExternalProcess.RunAsync("openssl",
                ["verify", "-x509_strict", "-purpose", "sslserver", "-verify_ip", address, "-CAfile", chain, leaf]);
            Assert.True(verified.ExitCode == 0, verified.Output + verified.Error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Kiota through the repository's tool manifest (dotnet-tools.json; scripts/test.sh runs <c>dotnet tool restore</c>).</summary>
    private static Task<ExternalProcess.Outcome> KiotaAsync(string document, string output) =>
        ExternalProcess.RunAsync("dotnet",
        [
            "tool", "run", "kiota", "--", "generate", "--language", "CSharp", "--openapi", document, "--output", output,
            "--class-name", "PanelClient", "--namespace-name", "SynoCertPanel.Api.Client",
            // JSON bodies only: where a call also takes multipart (the import), Kiota would otherwise pick the form, which its
            // serializer cannot write from a generated model.
            "--structured-mime-types", "application/json", "--log-level", "Error",
        ],
        new Dictionary<string, string>
        {
            // No update check: the tests run offline.
            ["KIOTA_OFFLINE_ENABLED"] = "true",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        },
        timeout: TimeSpan.FromSeconds(120),
        workingDirectory: RepositoryRoot.Path);

    /// <summary>Every C# file under a folder by its relative path (the lock file records where it was made, so it is left out).</summary>
    private static Dictionary<string, string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);

    /// <summary>An HTTP client that trusts exactly the certificate the panel serves now (pinned by its SHA-256), nothing else.</summary>
    internal static HttpClient PinnedHttpClient(ApiPanel api)
    {
        var pinned = api.Panel.Services.GetRequiredService<CertificateHolder>().Current.Certificate.GetCertHash(HashAlgorithmName.SHA256);
        return new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, served, _, _) =>
                served is not null && CryptographicOperations.FixedTimeEquals(served.GetCertHash(HashAlgorithmName.SHA256), pinned),
        });
    }

    internal static PanelClient Client(HttpClient http, ApiPanel api, string secret)
    {
        var host = new Uri(api.Panel.Address).Host;
        var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(new StaticToken(secret, host)), httpClient: http)
        {
            BaseUrl = api.Panel.Address,
        };
        return new PanelClient(adapter);
    }

    private async Task<int> AuthorityOfAsync(string issuer) =>
        (await new Core.Inventory.AuthorityService(_api.Storage, TimeProvider.System).ListAsync()).Single(a => a.Subject == issuer).Id;

    /// <summary>A token for one host only: Kiota's provider sends it nowhere else, and only over HTTPS.</summary>
    private sealed class StaticToken(string secret, string host) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null,
            CancellationToken cancellationToken = default) =>
            Task.FromResult(AllowedHostsValidator.IsUrlHostValid(uri) && uri.Scheme == Uri.UriSchemeHttps ? secret : string.Empty);
    }
}
