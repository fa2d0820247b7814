using System.Net;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Api;

public sealed class RequestApiTests : IAsyncLifetime
{
    private const string Requests = "/api/v1/requests";

    private ApiPanel _api = null!;
    private string _writer = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _writer = (await _api.CreateTokenAsync("requester", ApiScopes.CertificatesWrite, ApiScopes.CertificatesRead)).Secret;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Create_Is201WithTheCsrNeverTheKey_AndIsAuditedWithTheTokensName()
    {
        var response = await _api.SendJsonAsync(HttpMethod.Post, Requests, _writer, """
            { "commonName": "nas.home.arpa", "organization": "Home", "country": "NL", "alternativeNames": ["nas.home.arpa", "192.168.1.10"],
              "key": "p384", "description": "NAS for the office CA" }
            """);

        var json = await ApiCalls.JsonAsync(response, HttpStatusCode.Created);
        var id = json.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/requests/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("NAS for the office CA", json.GetProperty("description").GetString());
        Assert.Equal(["DNS:nas.home.arpa", "IP:192.168.1.10"], json.GetProperty("alternativeNames").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("ECDSA P-384", json.GetProperty("key").GetString());
        var csr = _api.Panel.FilePath("api.csr");
        await File.WriteAllTextAsync(csr, json.GetProperty("csrPem").GetString());
        var parsed = OpenSslHierarchy.Run("openssl", "req", "-in", csr, "-noout", "-verify", "-subject", "-text");
        Assert.True(parsed.ExitCode == 0, parsed.Output);
        Assert.Contains("CN=nas.home.arpa", parsed.Output.Replace(" = ", "=", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("IP Address:192.168.1.10", parsed.Output, StringComparison.Ordinal);
        var audit = await _api.LastAuditAsync(AuditActions.CreateRequest);
        Assert.Equal("token:requester", audit.Actor);
        Assert.Equal(AuditOutcome.Succeeded, audit.Outcome);
    }

    [Fact]
    public async Task ListShowAndCancel_FollowTheRequest_AndCancelDestroysItsKey()
    {
        var created = await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, Requests, _writer, """{ "alternativeNames": ["printer.home.arpa"] }"""),
            HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();

        var list = await ApiCalls.JsonAsync(await _api.GetAsync(Requests, _writer), HttpStatusCode.OK);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetInt32());
        Assert.Equal("printer.home.arpa", item.GetProperty("description").GetString());
        Assert.False(item.TryGetProperty("csrPem", out _));
        var shown = await ApiCalls.JsonAsync(await _api.GetAsync($"{Requests}/{id}", _writer), HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("csrPem").GetString(), shown.GetProperty("csrPem").GetString());
        var keys = await _api.CountAsync();

        var cancelled = await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Delete, $"{Requests}/{id}", _writer, null), HttpStatusCode.OK);

        Assert.True(cancelled.GetProperty("keyDestroyed").GetBoolean());
        Assert.Equal(keys - 2, await _api.CountAsync());
        Assert.Equal($"There is no pending request with id {id}.", await ApiPanel.ProblemDetailAsync(await _api.GetAsync($"{Requests}/{id}", _writer), 404));
        Assert.Equal($"There is no pending request with id {id}.",
            await ApiPanel.ProblemDetailAsync(await _api.SendJsonAsync(HttpMethod.Delete, $"{Requests}/{id}", _writer, null), 404));
        var audit = await _api.LastAuditAsync(AuditActions.CancelRequest);
        Assert.Equal("token:requester", audit.Actor);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("99999999999")]
    public async Task ShowAndCancel_BadId_Is400(string id)
    {
        var expected = $"A request id is a whole number from 1 up; \"{id}\" was given.";

        Assert.Equal(expected, await ApiPanel.ProblemDetailAsync(await _api.GetAsync($"{Requests}/{id}", _writer), 400));
        Assert.Equal(expected, await ApiPanel.ProblemDetailAsync(await _api.SendJsonAsync(HttpMethod.Delete, $"{Requests}/{id}", _writer, null), 400));
    }

    [Theory]
    [InlineData("{}", "Add at least one DNS name or IP address: browsers ignore the common name and read only these.")]
    [InlineData("""{ "alternativeNames": ["a.lan"], "key": "dsa" }""", "Unknown key type \"dsa\": use rsa2048, rsa3072, rsa4096, p256 or p384.")]
    [InlineData("""{ "alternativeNames": ["not a name!"] }""", "")]
    [InlineData("""{ "alternativeNames": ["a.lan"], "country": "Netherlands" }""", "")]
    [InlineData("""{ "alternativeNames": ["a.lan"], "description": "two\nlines" }""", "The description contains a control character")]
    [InlineData("""{ "alternativeNames": ["a.lan"], "keyFile": "/etc/shadow" }""", "The body is not the JSON this call takes")]
    [InlineData("""{ "alternativeNames": ["a.lan"] """, "The body is not the JSON this call takes")]
    [InlineData("\u0000\u0001garbage", "The body is not the JSON this call takes")]
    [InlineData("[]", "The body is not the JSON this call takes")]
    [InlineData("null", "The body is empty or null; send a JSON object.")]
    public async Task Create_BadBody_Is400ProblemAndStoresNothing(string body, string expected)
    {
        var before = await _api.CountAsync();

        var response = await _api.SendJsonAsync(HttpMethod.Post, Requests, _writer, body);

        var detail = await ApiPanel.ProblemDetailAsync(response, 400);
        Assert.StartsWith(expected, detail, StringComparison.Ordinal);
        Assert.True(detail.Length > 10, detail);
        Assert.Equal(before, await _api.CountAsync());
    }

    [Fact]
    public async Task Create_NotJsonOrOversized_Is415Or413AndStoresNothing()
    {
        var before = await _api.CountAsync();
        var names = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"host{i}.home.arpa\""));

        var form = await _api.SendJsonAsync(HttpMethod.Post, Requests, _writer, "alternativeNames=a.lan", "application/x-www-form-urlencoded");
        var large = await _api.SendJsonAsync(HttpMethod.Post, Requests, _writer, $$"""{ "alternativeNames": [{{names}}] }""");

        Assert.Equal("Send the body as application/json.", await ApiPanel.ProblemDetailAsync(form, 415));
        Assert.Equal("The body is larger than this call accepts (65536 bytes).", await ApiPanel.ProblemDetailAsync(large, 413));
        Assert.Equal(before, await _api.CountAsync());
    }

    [Fact]
    public async Task WriteCalls_WithReadScopeOnly_Are403_AndReadCalls_WithWriteScopeOnly_Are403()
    {
        var reader = (await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead)).Secret;
        var writer = (await _api.CreateTokenAsync("writer", ApiScopes.CertificatesWrite)).Secret;

        var create = await _api.SendJsonAsync(HttpMethod.Post, Requests, reader, """{ "alternativeNames": ["a.lan"] }""");
        var cancel = await _api.SendJsonAsync(HttpMethod.Delete, $"{Requests}/1", reader, null);
        var list = await _api.GetAsync(Requests, writer);
        var show = await _api.GetAsync($"{Requests}/1", writer);

        Assert.Contains("lacks the scope certificates:write, which POST /api/v1/requests needs", await ApiPanel.ProblemDetailAsync(create, 403), StringComparison.Ordinal);
        Assert.Contains("lacks the scope certificates:write", await ApiPanel.ProblemDetailAsync(cancel, 403), StringComparison.Ordinal);
        Assert.Contains("lacks the scope certificates:read", await ApiPanel.ProblemDetailAsync(list, 403), StringComparison.Ordinal);
        Assert.Contains("lacks the scope certificates:read", await ApiPanel.ProblemDetailAsync(show, 403), StringComparison.Ordinal);
    }
}
