using System.Net;
using System.Text.Json;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Tests.Support;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>POST /api/v1/certificates/sign with requests that openssl makes, as another box would, and with hostile ones.</summary>
public sealed class SigningApiTests : IAsyncLifetime
{
    private const string Sign = "/api/v1/certificates/sign";

    private ApiPanel _api = null!;
    private string _writer = null!;
    private int _authorityId;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _writer = (await _api.CreateTokenAsync("signer", ApiScopes.CertificatesWrite)).Secret;
        _authorityId = (await new AuthorityService(_api.Storage, TimeProvider.System).ListAsync()).First(a => a.Name == "bravo.home.arpa Root CA").Id;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Sign_OpenSslRequest_Is201WithCertificateAndChain_VerifiedByOpenSsl_AndAudited()
    {
        var csr = OpenSslRequests.Create(_api.Panel.FilePath("other-box"), "/CN=nas2.home.arpa", "subjectAltName=DNS:nas2.home.arpa,IP:192.168.1.12");

        var response = await PostAsync(new { csr, authorityId = _authorityId, validityDays = 200, description = "Second NAS" });

        var json = await ApiCalls.JsonAsync(response, HttpStatusCode.Created);
        var id = json.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/certificates/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(("SignedRequest", false), (json.GetProperty("source").GetString(), json.GetProperty("hasPrivateKey").GetBoolean()));
        Assert.Equal(["DNS:nas2.home.arpa", "IP:192.168.1.12"], json.GetProperty("alternativeNames").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("CN=bravo.home.arpa Root CA", json.GetProperty("issuer").GetString());
        Assert.Equal("Second NAS", json.GetProperty("description").GetString());
        var lifetime = json.GetProperty("notAfter").GetDateTimeOffset() - json.GetProperty("notBefore").GetDateTimeOffset();
        Assert.InRange(lifetime.TotalDays, 199, 201);
        _api.VerifyWithOpenSsl(json, "-verify_hostname", "nas2.home.arpa");
        _api.VerifyWithOpenSsl(json, "-verify_ip", "192.168.1.12");
        var audit = await _api.LastAuditAsync(AuditActions.SignRequest);
        Assert.Equal(("token:signer", AuditOutcome.Succeeded, id), (audit.Actor, audit.Outcome, audit.CertificateId));
    }

    [Fact]
    public async Task Sign_WithNamesAndOnlyCommonName_UsesTheGivenNames()
    {
        var csr = OpenSslRequests.Create(_api.Panel.FilePath("other-box"), "/CN=printer.home.arpa");

        var json = await ApiCalls.JsonAsync(await PostAsync(new { csr, authorityId = _authorityId, alternativeNames = new[] { "printer.lan", "10.0.0.5" } }),
            HttpStatusCode.Created);

        Assert.Equal(["DNS:printer.lan", "IP:10.0.0.5"], json.GetProperty("alternativeNames").EnumerateArray().Select(n => n.GetString()));
        _api.VerifyWithOpenSsl(json, "-verify_ip", "10.0.0.5");
    }

    [Fact]
    public async Task Sign_WithoutAuthority_UsesTheCaTheWizardOffers_TheOneThatSignedLast()
    {
        var csr = OpenSslRequests.Create(_api.Panel.FilePath("other-box"), "/CN=nas3.home.arpa");
        await ApiCalls.JsonAsync(await PostAsync(new { csr, authorityId = _authorityId }), HttpStatusCode.Created);

        var json = await ApiCalls.JsonAsync(await PostAsync(new { csr }), HttpStatusCode.Created);

        Assert.Equal("CN=bravo.home.arpa Root CA", json.GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task Sign_WithoutAuthority_AmongSeveralCasThatSignedNothingHere_Is400AskingForOne()
    {
        // The served certificate stays, so its CA goes instead: then no CA of the operator's has signed anything here.
        var deleter = (await _api.CreateTokenAsync("cleaner", ApiScopes.CertificatesWrite)).Secret;
        var authorities = await new AuthorityService(_api.Storage, TimeProvider.System).ListAsync();
        var inventory = new InventoryService(_api.Storage, TimeProvider.System);
        foreach (var host in new[] { "alpha.home.arpa", "bravo.home.arpa", "charlie.home.arpa" })
        {
            var id = await _api.CertificateIdAsync(host);
            var served = (await inventory.GetAsync(id)).Value.Summary.IsDefault;
            var path = served ? $"/api/v1/certificates/{authorities.First(a => a.Name == $"{host} Root CA").CertificateId}?force=true" : $"/api/v1/certificates/{id}";
            await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Delete, path, deleter, null), HttpStatusCode.OK);
        }

        var csr = OpenSslRequests.Create(_api.Panel.FilePath("other-box"), "/CN=nas3.home.arpa");
        var before = await _api.CountAsync();

        var response = await PostAsync(new { csr });

        Assert.Equal("Choose the CA that signs: give authorityId (GET /api/v1/authorities lists them).", await ApiPanel.ProblemDetailAsync(response, 400));
        Assert.Equal(before, await _api.CountAsync());
    }

    public static TheoryData<string, string> Hostile()
    {
        var directory = Path.Combine(Path.GetTempPath(), "synocert-sign-" + Guid.NewGuid().ToString("N"));
        var csr = OpenSslRequests.Create(directory, "/CN=nas4.home.arpa");
        Directory.Delete(directory, recursive: true);
        var lines = csr.Split('\n');
        var body = string.Join('\n', lines[1..^2]);
        var flipped = body[..40] + (body[40] == 'A' ? 'B' : 'A') + body[41..];
        return new TheoryData<string, string>
        {
            { """{ "csr": "" }""", "The request file is empty." },
            { """{ "authorityId": 1 }""", "The request file is empty." },
            { """{ "csr": "hello" }""", "" },
            { JsonSerializer.Serialize(new { csr = csr[..(csr.Length / 2)] }), "" },
            { JsonSerializer.Serialize(new { csr = $"{lines[0]}\n{flipped}\n{lines[^2]}\n" }), "" },
            { JsonSerializer.Serialize(new { csr = csr + csr }), "The file holds 2 certificate signing requests; give exactly one." },
            { JsonSerializer.Serialize(new { csr = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" }), "" },
            { JsonSerializer.Serialize(new { csr, authorityId = 999 }), "There is no CA with id 999 held here." },
            { JsonSerializer.Serialize(new { csr, authorityId = 1, validityDays = 9000 }), "" },
            { JsonSerializer.Serialize(new { csr, authorityId = 1, alternativeNames = new[] { "*.*.lan" } }), "" },
            { JsonSerializer.Serialize(new { csr, authorityId = 1, key = "p256" }), "The body is not the JSON this call takes" },
            { JsonSerializer.Serialize(new { csr = 42 }), "The body is not the JSON this call takes" },
            { "{\"csr\": \"-----BEGIN", "The body is not the JSON this call takes" },
        };
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Sign_GarbageTruncatedOrHostile_Is400AndStoresNothing(string body, string expected)
    {
        var before = await _api.CountAsync();

        var response = await _api.SendJsonAsync(HttpMethod.Post, Sign, _writer, body);

        var detail = await ApiPanel.ProblemDetailAsync(response, 400);
        Assert.StartsWith(expected, detail, StringComparison.Ordinal);
        Assert.True(detail.Length > 10, detail);
        Assert.Equal(before, await _api.CountAsync());
    }

    [Fact]
    public async Task Sign_OversizedOrNotJson_Is413Or415()
    {
        var large = await _api.SendJsonAsync(HttpMethod.Post, Sign, _writer, JsonSerializer.Serialize(new { csr = new string('A', 70_000) }));
        var pem = await _api.SendJsonAsync(HttpMethod.Post, Sign, _writer, "-----BEGIN CERTIFICATE REQUEST-----", "application/pkcs10");

        Assert.Equal("The body is larger than this call accepts (65536 bytes).", await ApiPanel.ProblemDetailAsync(large, 413));
        Assert.Equal("Send the body as application/json.", await ApiPanel.ProblemDetailAsync(pem, 415));
    }

    [Fact]
    public async Task Sign_WithReadScopeOnly_Is403()
    {
        var reader = (await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead, ApiScopes.KeysExport, ApiScopes.AuditRead)).Secret;

        var response = await _api.SendJsonAsync(HttpMethod.Post, Sign, reader, "{}");

        Assert.Equal("This token lacks the scope certificates:write, which POST /api/v1/certificates/sign needs; make a token that has it.",
            await ApiPanel.ProblemDetailAsync(response, 403));
    }

    private Task<HttpResponseMessage> PostAsync(object body) =>
        _api.SendJsonAsync(HttpMethod.Post, Sign, _writer, JsonSerializer.Serialize(body));
}
