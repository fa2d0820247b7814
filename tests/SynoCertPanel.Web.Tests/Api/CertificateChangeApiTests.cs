using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>Renew, serve and delete over the API, against a real panel whose listener the apply switches.</summary>
public sealed class CertificateChangeApiTests : IAsyncLifetime
{
    private ApiPanel _api = null!;
    private string _writer = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _writer = (await _api.CreateTokenAsync("operator", ApiScopes.CertificatesWrite, ApiScopes.CertificatesRead)).Secret;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Renew_CaHeldHere_Is201WithANewCertificateThatReplacesTheOld_VerifiedByOpenSsl()
    {
        var old = await _api.CertificateIdAsync("alpha.home.arpa");

        var response = await _api.SendJsonAsync(HttpMethod.Post, $"/api/v1/certificates/{old}/renew", _writer, """{ "validityDays": 90, "key": "p384" }""");

        var json = await ApiCalls.JsonAsync(response, HttpStatusCode.Created);
        var renewed = json.GetProperty("certificate");
        var id = renewed.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/certificates/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(old, json.GetProperty("renews").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("request").ValueKind);
        Assert.False(json.GetProperty("defaultRequested").GetBoolean());
        Assert.Equal("CN=alpha.home.arpa", renewed.GetProperty("subject").GetString());
        Assert.Equal("ECDSA P-384", renewed.GetProperty("key").GetString());
        var lifetime = renewed.GetProperty("notAfter").GetDateTimeOffset() - renewed.GetProperty("notBefore").GetDateTimeOffset();
        Assert.InRange(lifetime.TotalDays, 89, 91);
        _api.VerifyWithOpenSsl(renewed, "-verify_hostname", "alpha.home.arpa");
        var replaced = await ApiCalls.JsonAsync(await _api.GetAsync($"/api/v1/certificates/{old}", _writer), HttpStatusCode.OK);
        Assert.Equal(id, replaced.GetProperty("replacedById").GetInt32());
        var audit = await _api.LastAuditAsync(AuditActions.Renew);
        Assert.Equal(("token:operator", AuditOutcome.Succeeded, id), (audit.Actor, audit.Outcome, audit.CertificateId));
    }

    [Fact]
    public async Task Renew_WithoutBody_TakesThePagesDefaults()
    {
        var old = await _api.CertificateIdAsync("bravo.home.arpa");

        var response = await _api.SendAsync(HttpMethod.Post, $"/api/v1/certificates/{old}/renew", "Bearer " + _writer);

        var renewed = (await ApiCalls.JsonAsync(response, HttpStatusCode.Created)).GetProperty("certificate");
        Assert.Equal("ECDSA P-256", renewed.GetProperty("key").GetString());
    }

    [Fact]
    public async Task Renew_TheServedCertificate_MovesTheDefaultThroughTheListenersApply()
    {
        var old = await ServeNewCertificateAsync();

        var response = await _api.SendJsonAsync(HttpMethod.Post, $"/api/v1/certificates/{old}/renew", _writer, "{}");

        var json = await ApiCalls.JsonAsync(response, HttpStatusCode.Created);
        Assert.True(json.GetProperty("defaultRequested").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("defaultError").ValueKind);
        var renewed = json.GetProperty("certificate");
        Assert.True(renewed.GetProperty("isDefault").GetBoolean());
        Assert.Equal(renewed.GetProperty("sha256Fingerprint").GetString(), await _api.ServedFingerprintAsync());
    }

    [Theory]
    [InlineData("""{ "validityDays": 9000 }""", 400, "Validity of 9000 days is too long")]
    [InlineData("""{ "validityDays": 0 }""", 400, "Validity must be at least one day.")]
    [InlineData("""{ "key": "dsa" }""", 400, "Unknown key type \"dsa\": use rsa2048, rsa3072, rsa4096, p256 or p384.")]
    [InlineData("""{ "validityDays": "90" }""", 400, "The body is not the JSON this call takes")]
    [InlineData("""{ "force": true }""", 400, "The body is not the JSON this call takes")]
    [InlineData("""{ "validityDays": 90""", 400, "The body is not the JSON this call takes")]
    public async Task Renew_BadBody_IsRefusedAndStoresNothing(string body, int status, string expected)
    {
        var old = await _api.CertificateIdAsync("charlie.home.arpa");
        var before = await _api.CountAsync();

        var response = await _api.SendJsonAsync(HttpMethod.Post, $"/api/v1/certificates/{old}/renew", _writer, body);

        Assert.StartsWith(expected, await ApiPanel.ProblemDetailAsync(response, status), StringComparison.Ordinal);
        Assert.Equal(before, await _api.CountAsync());
    }

    [Theory]
    [InlineData("renew")]
    [InlineData("default")]
    public async Task RenewAndDefault_OversizedOrNotJsonBody_Is413Or415AndChangesNothing(string call)
    {
        var path = $"/api/v1/certificates/{await _api.CertificateIdAsync("charlie.home.arpa")}/{call}";
        var before = await _api.CountAsync();

        var large = await _api.SendJsonAsync(HttpMethod.Post, path, _writer, $$"""{ "key": "{{new string('p', 70_000)}}" }""");
        var form = await _api.SendJsonAsync(HttpMethod.Post, path, _writer, "key=p256", "application/x-www-form-urlencoded");

        Assert.Equal("The body is larger than this call accepts (65536 bytes).", await ApiPanel.ProblemDetailAsync(large, 413));
        Assert.Equal("Send the body as application/json.", await ApiPanel.ProblemDetailAsync(form, 415));
        Assert.Equal(before, await _api.CountAsync());
    }

    [Fact]
    public async Task Renew_ACaCertificate_Is409WithThePagesSentence_AndAnUnknownOne404()
    {
        var root = (await new AuthorityService(_api.Storage, TimeProvider.System).ListAsync()).First(a => !a.IsBootstrap).CertificateId;

        var ca = await _api.SendJsonAsync(HttpMethod.Post, $"/api/v1/certificates/{root}/renew", _writer, "{}");
        var missing = await _api.SendJsonAsync(HttpMethod.Post, "/api/v1/certificates/9999/renew", _writer, "{}");

        Assert.Equal("CA certificates are renewed by creating a new CA, not by a request.", await ApiPanel.ProblemDetailAsync(ca, 409));
        Assert.Equal("There is no certificate with id 9999.", await ApiPanel.ProblemDetailAsync(missing, 404));
    }

    [Fact]
    public async Task Renew_CaNoLongerHeldHere_Is201WithAPendingRequest_AndRefusesAValidity()
    {
        var alpha = await _api.CertificateIdAsync("alpha.home.arpa");
        var root = (await new AuthorityService(_api.Storage, TimeProvider.System).ListAsync()).First(a => a.Name == "alpha.home.arpa Root CA").CertificateId;
        await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Delete, $"/api/v1/certificates/{root}?force=true", _writer, null), HttpStatusCode.OK);

        var refused = await _api.SendJsonAsync(HttpMethod.Post, $"/api/v1/certificates/{alpha}/renew", _writer, """{ "validityDays": 90 }""");
        var response = await _api.SendJsonAsync(HttpMethod.Post, $"/api/v1/certificates/{alpha}/renew", _writer, "{}");

        Assert.Equal($"The CA of certificate {alpha} is not held here, so the renewal is a request (CSR) for it: its validity is that CA's choice "
            + "and it can be the default only once imported; leave out validityDays and setAsDefault.", await ApiPanel.ProblemDetailAsync(refused, 409));
        var json = await ApiCalls.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("certificate").ValueKind);
        var request = json.GetProperty("request");
        Assert.Equal($"/api/v1/requests/{request.GetProperty("id").GetInt32()}", response.Headers.Location!.OriginalString);
        Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----", request.GetProperty("csrPem").GetString(), StringComparison.Ordinal);
        Assert.Equal(["DNS:alpha.home.arpa"], request.GetProperty("alternativeNames").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task SetDefault_NameNotCoveringTheCallersHost_Is409WithThePreflightSentence_ThenConfirmedApplies()
    {
        var alpha = await _api.CertificateIdAsync("alpha.home.arpa");
        var before = await _api.ServedFingerprintAsync();

        var refused = await _api.SendJsonAsync(HttpMethod.Post, $"/api/v1/certificates/{alpha}/default", _writer, null);

        Assert.StartsWith($"Certificate {alpha} cannot be the panel's certificate: ", await ApiPanel.ProblemDetailAsync(refused, 409), StringComparison.Ordinal);
        Assert.Equal(before, await _api.ServedFingerprintAsync());

        var applied = await ApiCalls.JsonAsync(
            await _api.SendJsonAsync(HttpMethod.Post, $"/api/v1/certificates/{alpha}/default", _writer, """{ "confirmed": true }"""), HttpStatusCode.OK);

        Assert.Equal(alpha, applied.GetProperty("certificateId").GetInt32());
        Assert.Equal(applied.GetProperty("sha256Fingerprint").GetString(), await _api.ServedFingerprintAsync());
        var audit = await _api.LastAuditAsync(AuditActions.SetDefault);
        Assert.Equal(("token:operator", AuditOutcome.Succeeded, alpha), (audit.Actor, audit.Outcome, audit.CertificateId));
    }

    [Fact]
    public async Task SetDefault_CaCertificate_Is409_AndBadBodiesAre400Or415()
    {
        var root = (await new AuthorityService(_api.Storage, TimeProvider.System).ListAsync()).First(a => !a.IsBootstrap).CertificateId;
        var path = $"/api/v1/certificates/{root}/default";

        var ca = await _api.SendJsonAsync(HttpMethod.Post, path, _writer, """{ "confirmed": true }""");
        var unknown = await _api.SendJsonAsync(HttpMethod.Post, path, _writer, """{ "confirm": true }""");
        var text = await _api.SendJsonAsync(HttpMethod.Post, path, _writer, "confirmed", "text/plain");

        Assert.Equal($"Certificate {root} cannot be the panel's certificate: it is a CA certificate, not a server certificate",
            await ApiPanel.ProblemDetailAsync(ca, 409));
        Assert.StartsWith("The body is not the JSON this call takes", await ApiPanel.ProblemDetailAsync(unknown, 400), StringComparison.Ordinal);
        Assert.Equal("Send the body as application/json.", await ApiPanel.ProblemDetailAsync(text, 415));
    }

    [Fact]
    public async Task Delete_Is200AndDestroysTheKey_TheServedOneIs409_AndACaWithCertificatesNeedsForce()
    {
        var charlie = await _api.CertificateIdAsync("charlie.home.arpa");
        var served = await ServeNewCertificateAsync();
        var root = (await new AuthorityService(_api.Storage, TimeProvider.System).ListAsync()).First(a => a.Name == "alpha.home.arpa Root CA").CertificateId;

        var deleted = await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Delete, $"/api/v1/certificates/{charlie}", _writer, null), HttpStatusCode.OK);
        var refused = await _api.SendJsonAsync(HttpMethod.Delete, $"/api/v1/certificates/{served}", _writer, null);
        var unforced = await _api.SendJsonAsync(HttpMethod.Delete, $"/api/v1/certificates/{root}", _writer, null);
        var forced = await _api.SendJsonAsync(HttpMethod.Delete, $"/api/v1/certificates/{root}?force=true", _writer, null);

        Assert.Equal((charlie, true), (deleted.GetProperty("id").GetInt32(), deleted.GetProperty("keyDestroyed").GetBoolean()));
        Assert.Equal($"There is no certificate with id {charlie}.", await ApiPanel.ProblemDetailAsync(await _api.GetAsync($"/api/v1/certificates/{charlie}", _writer), 404));
        Assert.Equal(DeletionPlan.ServedRefusal, await ApiPanel.ProblemDetailAsync(refused, 409));
        Assert.StartsWith("This CA still has 1 unexpired certificate(s) here", await ApiPanel.ProblemDetailAsync(unforced, 409), StringComparison.Ordinal);
        await ApiCalls.JsonAsync(forced, HttpStatusCode.OK);
        await using var db = _api.Storage.CreateContext();
        var events = await db.AuditEvents.AsNoTracking().Where(a => a.Action == AuditActions.Delete).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([AuditOutcome.Succeeded, AuditOutcome.Refused, AuditOutcome.Refused, AuditOutcome.Succeeded], events.Select(e => e.Outcome));
        Assert.All(events, e => Assert.Equal("token:operator", e.Actor));
    }

    [Theory]
    [InlineData("/api/v1/certificates/abc", "A certificate id is a whole number from 1 up; \"abc\" was given.")]
    [InlineData("/api/v1/certificates/1?force=yes", "\"force\" must be true or false; \"yes\" was given.")]
    [InlineData("/api/v1/certificates/1?forse=true", "There is no parameter \"forse\"; DELETE /api/v1/certificates/{id} takes force.")]
    [InlineData("/api/v1/certificates/1?force=true&force=false", "\"force\" is given more than once.")]
    public async Task Delete_BadIdOrQuery_Is400AndDeletesNothing(string path, string expected)
    {
        var before = await _api.CountAsync();

        var response = await _api.SendJsonAsync(HttpMethod.Delete, path, _writer, null);

        Assert.Equal(expected, await ApiPanel.ProblemDetailAsync(response, 400));
        Assert.Equal(before, await _api.CountAsync());
    }

    [Fact]
    public async Task Delete_Unknown_Is404()
    {
        var response = await _api.SendJsonAsync(HttpMethod.Delete, "/api/v1/certificates/9999", _writer, null);

        Assert.Equal("There is no certificate with id 9999.", await ApiPanel.ProblemDetailAsync(response, 404));
    }

    /// <summary>A certificate for 127.0.0.1 (the name these calls use), made and served over the API; its id.</summary>
    private async Task<int> ServeNewCertificateAsync()
    {
        var created = await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, "/api/v1/certificates", _writer,
            """{ "rootCommonName": "Loopback Root", "alternativeNames": ["127.0.0.1", "localhost"], "description": "served" }"""), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();
        var applied = await _api.SendJsonAsync(HttpMethod.Post, $"/api/v1/certificates/{id}/default", _writer, null);
        await ApiCalls.JsonAsync(applied, HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("sha256Fingerprint").GetString(), await _api.ServedFingerprintAsync());
        return id;
    }
}
