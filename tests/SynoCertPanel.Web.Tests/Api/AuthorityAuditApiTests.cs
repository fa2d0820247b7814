using System.Net;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>The read-only calls: the CAs held here and the audit log.</summary>
public sealed class AuthorityAuditApiTests : IAsyncLifetime
{
    private ApiPanel _api = null!;
    private string _reader = null!;
    private string _auditor = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _reader = (await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead)).Secret;
        _auditor = (await _api.CreateTokenAsync("auditor", ApiScopes.AuditRead)).Secret;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Authorities_ListAndShow_AsTheServiceHoldsThem_WithPemAndIssued_NeverAKey()
    {
        var held = await new AuthorityService(_api.Storage, TimeProvider.System).ListAsync();

        var list = await ApiCalls.JsonAsync(await _api.GetAsync("/api/v1/authorities", _reader), HttpStatusCode.OK);

        Assert.Equal(held.Select(a => a.Id), list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()));
        var alpha = held.First(a => a.Name == "alpha.home.arpa Root CA");
        var shown = await ApiCalls.JsonAsync(await _api.GetAsync($"/api/v1/authorities/{alpha.Id}", _reader), HttpStatusCode.OK);
        Assert.Equal("CN=alpha.home.arpa Root CA", shown.GetProperty("authority").GetProperty("subject").GetString());
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", shown.GetProperty("certificatePem").GetString(), StringComparison.Ordinal);
        var issued = Assert.Single(shown.GetProperty("issued").EnumerateArray());
        Assert.Equal(["DNS:alpha.home.arpa"], issued.GetProperty("alternativeNames").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task Authority_DnsSuffixesOnly_SaysItPermitsNoIpAddress()
    {
        var created = await new AuthorityService(_api.Storage, TimeProvider.System).CreateRootAsync(new Pki.Issuance.RootCaOptions
        {
            Subject = Pki.Names.DistinguishedName.Create("Names Only Root").Value,
            KeyAlgorithm = Pki.Keys.KeyAlgorithm.EcdsaP256,
            NameConstraints = Pki.Profiles.NameConstraints.Create(["home.arpa"], []).Value,
        }, "admin");
        Assert.True(created.IsSuccess, created.Error);

        var shown = await ApiCalls.JsonAsync(await _api.GetAsync($"/api/v1/authorities/{created.Value.Id}", _reader), HttpStatusCode.OK);

        var authority = shown.GetProperty("authority");
        Assert.Equal(["home.arpa"], authority.GetProperty("permittedDns").EnumerateArray().Select(n => n.GetString()));
        Assert.Empty(authority.GetProperty("permittedIpRanges").EnumerateArray());
        Assert.True(authority.GetProperty("permitsNoIpAddresses").GetBoolean());
        Assert.False(authority.GetProperty("permitsNoDnsNames").GetBoolean());
    }

    [Theory]
    [InlineData("abc", 400, "A CA id is a whole number from 1 up; \"abc\" was given.")]
    [InlineData("999", 404, "There is no CA with id 999 held here.")]
    public async Task Authority_BadOrUnknownId_IsAProblem(string id, int status, string expected)
    {
        Assert.Equal(expected, await ApiPanel.ProblemDetailAsync(await _api.GetAsync($"/api/v1/authorities/{id}", _reader), status));
    }

    [Fact]
    public async Task Audit_NewestFirst_FilteredByCertificate_AndPaged()
    {
        var writer = (await _api.CreateTokenAsync("writer", ApiScopes.CertificatesWrite)).Secret;
        var alpha = await _api.CertificateIdAsync("alpha.home.arpa");
        await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, $"/api/v1/certificates/{alpha}/renew", writer, "{}"), HttpStatusCode.Created);

        var all = await ApiCalls.JsonAsync(await _api.GetAsync("/api/v1/audit?limit=2", _auditor), HttpStatusCode.OK);
        var newest = all.GetProperty("items")[0];
        Assert.Equal(("token:writer", AuditActions.Renew, "Succeeded"),
            (newest.GetProperty("actor").GetString(), newest.GetProperty("action").GetString(), newest.GetProperty("outcome").GetString()));
        Assert.Equal(2, all.GetProperty("items").GetArrayLength());
        Assert.True(all.GetProperty("total").GetInt32() > 2);
        var second = await ApiCalls.JsonAsync(await _api.GetAsync("/api/v1/audit?limit=1&offset=1", _auditor), HttpStatusCode.OK);
        Assert.Equal(all.GetProperty("items")[1].GetProperty("id").GetInt64(), second.GetProperty("items")[0].GetProperty("id").GetInt64());

        var about = await ApiCalls.JsonAsync(await _api.GetAsync($"/api/v1/audit?certificate={alpha}", _auditor), HttpStatusCode.OK);
        Assert.All(about.GetProperty("items").EnumerateArray(), e => Assert.Equal(alpha, e.GetProperty("certificateId").GetInt32()));
        Assert.Equal(about.GetProperty("total").GetInt32(), about.GetProperty("items").GetArrayLength());
        Assert.True(about.GetProperty("total").GetInt32() >= 1);
    }

    [Theory]
    [InlineData("limit=0", "\"limit\" must be a whole number from 1 to 500; \"0\" was given.")]
    [InlineData("limit=501", "\"limit\" must be a whole number from 1 to 500; \"501\" was given.")]
    [InlineData("offset=-1", "\"offset\" must be a whole number from 0 to 2147483647; \"-1\" was given.")]
    [InlineData("certificate=x", "\"certificate\" must be a whole number from 1 to 2147483647; \"x\" was given.")]
    [InlineData("actor=admin", "There is no parameter \"actor\"; the audit log takes certificate, offset, limit.")]
    [InlineData("limit=1&limit=2", "\"limit\" is given more than once.")]
    public async Task Audit_BadParameter_Is400(string query, string expected)
    {
        Assert.Equal(expected, await ApiPanel.ProblemDetailAsync(await _api.GetAsync("/api/v1/audit?" + query, _auditor), 400));
    }

    [Fact]
    public async Task Audit_NeedsAuditRead_AndAuthoritiesNeedCertificatesRead()
    {
        var audit = await _api.GetAsync("/api/v1/audit", _reader);
        var authorities = await _api.GetAsync("/api/v1/authorities", _auditor);

        Assert.Contains("lacks the scope audit:read", await ApiPanel.ProblemDetailAsync(audit, 403), StringComparison.Ordinal);
        Assert.Contains("lacks the scope certificates:read", await ApiPanel.ProblemDetailAsync(authorities, 403), StringComparison.Ordinal);
    }
}
