using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Api;

public sealed class CertificateCreateApiTests : IAsyncLifetime
{
    private const string List = "/api/v1/certificates";

    private ApiPanel _api = null!;
    private string _writer = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _writer = (await _api.CreateTokenAsync("deployer", ApiScopes.CertificatesWrite, ApiScopes.CertificatesRead)).Secret;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Create_WithNewRoot_Is201WithTheCertificateAndIsAuditedWithTheTokensName()
    {
        var response = await PostAsync(_writer, """
            { "commonName": "nas.home.arpa", "alternativeNames": ["nas.home.arpa", "192.168.1.10"], "key": "p256",
              "rootCommonName": "Home Root CA", "rootKey": "p256", "description": "NAS over the API" }
            """);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        using var json = JsonDocument.Parse(body);
        var id = json.RootElement.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/certificates/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("CN=nas.home.arpa", json.RootElement.GetProperty("subject").GetString());
        Assert.Equal("CN=Home Root CA", json.RootElement.GetProperty("issuer").GetString());
        Assert.Equal(["DNS:nas.home.arpa", "IP:192.168.1.10"], json.RootElement.GetProperty("alternativeNames").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("NAS over the API", json.RootElement.GetProperty("description").GetString());
        Assert.False(json.RootElement.GetProperty("isDefault").GetBoolean());
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(response.Headers.Location.OriginalString, _writer)).StatusCode);
        await using var db = _api.Storage.CreateContext();
        var audit = await db.AuditEvents.Where(a => a.Action == AuditActions.CreateSelfSigned).OrderBy(a => a.Id).LastAsync();
        Assert.Equal("token:deployer", audit.Actor);
        Assert.Equal(AuditOutcome.Succeeded, audit.Outcome);
        Assert.Equal(id, audit.CertificateId);
    }

    [Fact]
    public async Task Create_FromACaHeldHere_IsIssuedByIt()
    {
        var authority = (await new AuthorityService(_api.Storage, TimeProvider.System).ListAsync()).First(a => a.Subject.Contains("bravo", StringComparison.Ordinal));

        var response = await PostAsync(_writer, $$"""{ "authorityId": {{authority.Id}}, "alternativeNames": ["printer.home.arpa"], "validityDays": 90 }""");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(authority.Subject, json.RootElement.GetProperty("issuer").GetString());
        var lifetime = json.RootElement.GetProperty("notAfter").GetDateTimeOffset() - json.RootElement.GetProperty("notBefore").GetDateTimeOffset();
        Assert.InRange(lifetime.TotalDays, 89, 91);
    }

    [Theory]
    [InlineData("{}", "A common name is required: iOS hides certificate authorities without one")]
    [InlineData("""{ "rootCommonName": "R", "alternativeNames": [] }""", "Add at least one DNS name or IP address: browsers ignore the common name and read only these.")]
    [InlineData("""{ "rootCommonName": "R", "alternativeNames": ["a.lan"], "key": "dsa" }""", "Unknown key type \"dsa\": use rsa2048, rsa3072, rsa4096, p256 or p384.")]
    [InlineData("""{ "rootCommonName": "R", "alternativeNames": ["a.lan"], "validityDays": 9000 }""", "Validity of 9000 days is too long")]
    [InlineData("""{ "rootCommonName": "R", "alternativeNames": ["a.lan"], "validityDays": 0 }""", "Validity must be at least one day.")]
    [InlineData("""{ "rootCommonName": "R", "alternativeNames": ["a.lan"], "description": "two\nlines" }""", "The description contains a control character")]
    [InlineData("""{ "authorityId": 999, "alternativeNames": ["a.lan"] }""", "There is no CA with id 999 held here.")]
    [InlineData("""{ "authorityId": 1, "rootCommonName": "R", "alternativeNames": ["a.lan"] }""", "Give either authorityId (issue from a CA held here) or rootCommonName (a new root), not both.")]
    [InlineData("""{ "rootCommonName": "R", "alternativeNames": ["a.lan"], "colour": "red" }""", "The body is not the JSON this call takes")]
    [InlineData("""{ "rootCommonName": "R", "alternativeNames": "a.lan" }""", "The body is not the JSON this call takes")]
    [InlineData("""{ "rootCommonName": "R", "alternativeNames": ["a.lan"], "validityDays": "90" }""", "The body is not the JSON this call takes")]
    [InlineData("""{ "rootCommonName": "R", """, "The body is not the JSON this call takes")]
    [InlineData("not json", "The body is not the JSON this call takes")]
    [InlineData("[1, 2]", "The body is not the JSON this call takes")]
    [InlineData("null", "The body is empty or null; send a JSON object.")]
    [InlineData("", "The body is not the JSON this call takes")]
    [InlineData("""{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":1}}}}}}}}}""", "The body is not the JSON this call takes")]
    public async Task Create_BadBody_Is400ProblemAndCreatesNothing(string body, string expected)
    {
        var before = await CountAsync();

        var response = await PostAsync(_writer, body);

        Assert.StartsWith(expected, await ApiPanel.ProblemDetailAsync(response, 400), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Create_NotJson_Is415()
    {
        var response = await _api.SendAsync(HttpMethod.Post, List, "Bearer " + _writer,
            content: new StringContent("commonName=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal("Send the body as application/json.", await ApiPanel.ProblemDetailAsync(response, 415));
    }

    [Fact]
    public async Task Create_OversizedBody_Is413Problem()
    {
        var names = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"host{i}.home.arpa\""));

        var response = await PostAsync(_writer, $$"""{ "rootCommonName": "R", "alternativeNames": [{{names}}] }""");

        Assert.Equal("The body is larger than this call accepts (65536 bytes).", await ApiPanel.ProblemDetailAsync(response, 413));
    }

    [Fact]
    public async Task Create_WithReadScopeOnly_Is403NamingTheWriteScope()
    {
        var reader = await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead);

        var response = await PostAsync(reader.Secret, """{ "rootCommonName": "R", "alternativeNames": ["a.lan"] }""");

        Assert.Equal("This token lacks the scope certificates:write, which POST /api/v1/certificates needs; make a token that has it.",
            await ApiPanel.ProblemDetailAsync(response, 403));
    }

    [Fact]
    public async Task Create_WithoutToken_Is401()
    {
        var response = await _api.SendAsync(HttpMethod.Post, List, authorization: null,
            content: new StringContent("""{ "rootCommonName": "R", "alternativeNames": ["a.lan"] }""", Encoding.UTF8, "application/json"));

        Assert.StartsWith("No API token", await ApiPanel.ProblemDetailAsync(response, 401), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PostAsync(string token, string json) =>
        _api.SendAsync(HttpMethod.Post, List, "Bearer " + token, content: new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<int> CountAsync() =>
        (await new InventoryService(_api.Storage, TimeProvider.System).ListRangeAsync(new CertificateQuery { IncludeReplaced = true }, 0, null)).TotalCount;
}
