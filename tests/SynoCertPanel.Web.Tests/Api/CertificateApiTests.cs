using System.Net;
using System.Text.Json;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Api;

public sealed class CertificateApiTests : IAsyncLifetime
{
    private ApiPanel _api = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _token = (await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead)).Secret;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task List_WithReadScope_ReturnsItemsAndTotalWithStableNames()
    {
        var response = await _api.GetAsync("/api/v1/certificates", _token);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(["items", "total", "offset", "limit"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(6, root.GetProperty("total").GetInt32());
        Assert.Equal((0, 100), (root.GetProperty("offset").GetInt32(), root.GetProperty("limit").GetInt32()));
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(6, items.Count);
        Assert.Equal(
            ["id", "description", "commonName", "alternativeNames", "issuer", "notBefore", "notAfter", "key", "source", "isDefault",
                "isCertificateAuthority", "hasPrivateKey", "replacedById"],
            items[0].EnumerateObject().Select(p => p.Name));
        var bravo = items.Single(i => i.GetProperty("commonName").GetString() == "bravo.home.arpa");
        Assert.Equal("bravo.home.arpa web", bravo.GetProperty("description").GetString());
        Assert.Equal(["DNS:bravo.home.arpa"], bravo.GetProperty("alternativeNames").EnumerateArray().Select(n => n.GetString()));
        Assert.True(bravo.GetProperty("hasPrivateKey").GetBoolean());
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?search=bravo", "bravo", null, false, false, 0, 100)]
    [InlineData("?sort=commonName&descending=true&offset=1&limit=2", null, CertificateSort.CommonName, true, false, 1, 2)]
    [InlineData("?sort=DESCRIPTION&limit=500", null, CertificateSort.Description, false, false, 0, 500)]
    [InlineData("?search=Root%20CA&sort=created&descending=false&includeReplaced=true", "Root CA", CertificateSort.Created, false, true, 0, 100)]
    [InlineData("?sort=issuer&offset=50", null, CertificateSort.Issuer, false, false, 50, 100)]
    public async Task List_Parameters_AnswerAsTheInventoryServiceDoes(string query, string? search, CertificateSort? sort, bool descending,
        bool includeReplaced, int offset, int limit)
    {
        var expected = await new InventoryService(_api.Storage, TimeProvider.System).ListRangeAsync(new CertificateQuery
        {
            Search = search,
            Sort = sort ?? CertificateSort.Expiry,
            Descending = descending,
            IncludeReplaced = includeReplaced,
        }, offset, limit);

        var response = await _api.GetAsync("/api/v1/certificates" + query, _token);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected.TotalCount, json.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(expected.Items.Select(i => i.Id), json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()));
        Assert.Equal((offset, limit), (json.RootElement.GetProperty("offset").GetInt32(), json.RootElement.GetProperty("limit").GetInt32()));
    }

    [Fact]
    public async Task List_Search_FindsOneCertificate()
    {
        var response = await _api.GetAsync("/api/v1/certificates?search=bravo.home.arpa%20web", _token);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, json.RootElement.GetProperty("total").GetInt32());
        Assert.Equal("bravo.home.arpa", json.RootElement.GetProperty("items")[0].GetProperty("commonName").GetString());
    }

    [Theory]
    [InlineData("?sort=size", "\"sort\" must be one of expiry, description, commonName, issuer, created; \"size\" was given.")]
    [InlineData("?limit=0", "\"limit\" must be a whole number from 1 to 500; \"0\" was given.")]
    [InlineData("?limit=501", "\"limit\" must be a whole number from 1 to 500")]
    [InlineData("?limit=ten", "\"limit\" must be a whole number from 1 to 500; \"ten\" was given.")]
    [InlineData("?limit=", "\"limit\" must be a whole number from 1 to 500")]
    [InlineData("?limit=%2B5", "\"limit\" must be a whole number")]
    [InlineData("?offset=-1", "\"offset\" must be a whole number from 0 to 2147483647")]
    [InlineData("?offset=99999999999", "\"offset\" must be a whole number")]
    [InlineData("?descending=yes", "\"descending\" must be true or false; \"yes\" was given.")]
    [InlineData("?includeReplaced=1", "\"includeReplaced\" must be true or false")]
    [InlineData("?limt=10", "There is no parameter \"limt\"; the list takes search, sort, descending, offset, limit, includeReplaced.")]
    [InlineData("?limit=1&limit=2", "\"limit\" is given more than once.")]
    [InlineData("?search=a%00b", "\"search\" contains a control character.")]
    [InlineData("?sort=%E2%80%AEetaerc", "\"sort\" must be one of expiry, description, commonName, issuer, created; \"\\u202Eetaerc\" was given.")]
    public async Task List_BadParameter_Is400ProblemNamingIt(string query, string expected)
    {
        var response = await _api.GetAsync("/api/v1/certificates" + query, _token);

        Assert.StartsWith(expected, await ApiPanel.ProblemDetailAsync(response, 400), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_OversizedSearch_Is400Problem()
    {
        var response = await _api.GetAsync("/api/v1/certificates?search=" + new string('x', 201), _token);

        Assert.Equal("\"search\" is 201 characters long; at most 200 are allowed.", await ApiPanel.ProblemDetailAsync(response, 400));
    }

    [Fact]
    public async Task Get_ReturnsDetailsAndThePemOfCertificateAndChain_NeverAKey()
    {
        var list = JsonDocument.Parse(await (await _api.GetAsync("/api/v1/certificates?search=charlie.home.arpa%20web", _token)).Content.ReadAsStringAsync());
        var id = list.RootElement.GetProperty("items")[0].GetProperty("id").GetInt32();

        var response = await _api.GetAsync($"/api/v1/certificates/{id}", _token);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(id, root.GetProperty("id").GetInt32());
        Assert.Equal(
            ["id", "description", "subject", "issuer", "alternativeNames", "notBefore", "notAfter", "serialNumber", "sha256Fingerprint", "key",
                "signatureAlgorithm", "source", "isDefault", "isCertificateAuthority", "hasPrivateKey", "authorityId", "replacedById", "certificatePem",
                "chainPem"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("CN=charlie.home.arpa", root.GetProperty("subject").GetString());
        Assert.Equal("CN=charlie.home.arpa Root CA", root.GetProperty("issuer").GetString());
        Assert.Equal(["DNS:charlie.home.arpa"], root.GetProperty("alternativeNames").EnumerateArray().Select(n => n.GetString()));
        Assert.Matches("^[0-9A-F]{64}$", root.GetProperty("sha256Fingerprint").GetString());
        var pem = root.GetProperty("certificatePem").GetString()!;
        var chain = root.GetProperty("chainPem").GetString()!;
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem, StringComparison.Ordinal);
        using var leaf = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        using var issuer = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(chain);
        Assert.Equal("CN=charlie.home.arpa Root CA", issuer.Subject);
        Assert.Equal(leaf.Issuer, issuer.Subject);
        Assert.True(root.GetProperty("hasPrivateKey").GetBoolean());
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
        Assert.DoesNotContain(root.EnumerateObject(), p => p.Name.Contains("key", StringComparison.OrdinalIgnoreCase) && p.Name is not ("key" or "hasPrivateKey"));
    }

    [Fact]
    public async Task Get_UnknownId_Is404WithThePagesSentence()
    {
        var response = await _api.GetAsync("/api/v1/certificates/999", _token);

        Assert.Equal("There is no certificate with id 999.", await ApiPanel.ProblemDetailAsync(response, 404));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("99999999999")]
    [InlineData("%201")]
    public async Task Get_GarbageId_Is400Problem(string id)
    {
        var response = await _api.GetAsync($"/api/v1/certificates/{id}", _token);

        Assert.StartsWith("A certificate id is a whole number from 1 up;", await ApiPanel.ProblemDetailAsync(response, 400), StringComparison.Ordinal);
    }
}
