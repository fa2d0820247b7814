using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;
using static SynoCertPanel.Web.Tests.Api.TransferApi;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>
/// Who may export and import, and what a refused export says: keys:export for every format that holds the private key,
/// no private key in any answer to a token without it, and 401 for a missing, expired or revoked token on every call.
/// </summary>
public sealed class ExportRefusalApiTests : IAsyncLifetime
{
    private ApiPanel _api = null!;
    private string _exporter = null!;
    private int _alpha;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _exporter = (await _api.CreateTokenAsync("exporter", ApiScopes.CertificatesRead, ApiScopes.KeysExport)).Secret;
        _alpha = (await ExportApiTests.FindAsync(_api, "alpha.home.arpa web")).Id;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(string path, string token, string json = "{}") =>
        _api.SendAsync(HttpMethod.Post, path, "Bearer " + token, content: new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Whether an answer carries a private key in any form the panel writes: PEM, PKCS#12, or an archive with privkey.pem.</summary>
    private static bool HoldsPrivateKey(byte[] body) =>
        Encoding.ASCII.GetString(body).Contains("PRIVATE KEY", StringComparison.Ordinal)
        || ImportFormats.Detect(body) == ImportFormat.Pkcs12
        || (ImportFormats.Detect(body) == ImportFormat.SynologyZip && ExportApiTests.Unzip(body).Keys.Any(k => k.Contains("privkey", StringComparison.Ordinal)));

    [Fact]
    public async Task WithoutKeysExport_EveryKeyFormatIs403NamingIt_AndNoAnswerHoldsAKey()
    {
        var token = (await _api.CreateTokenAsync("no keys", [.. ApiScopes.All.Where(s => s != ApiScopes.KeysExport)])).Secret;
        var answers = new List<(string Call, byte[] Body)>();

        foreach (var format in ExportFormats.Names)
        {
            var path = Export(_alpha, format);
            var get = await _api.GetAsync(path, token);
            var post = await PostAsync(path, token, ExportFormats.Parse(format).Value is ExportFormat.Pfx or ExportFormat.PfxLegacy ? """{ "password": "p" }""" : "{}");
            answers.Add(($"GET {path}", await get.Content.ReadAsByteArrayAsync()));
            answers.Add(($"POST {path}", await post.Content.ReadAsByteArrayAsync()));

            var expectedGet = ExportFormats.ContainsKey(ExportFormats.Parse(format).Value) ? HttpStatusCode.Forbidden : HttpStatusCode.OK;
            Assert.Equal(expectedGet, get.StatusCode);
            Assert.Equal($"This token lacks the scope keys:export, which POST {path} needs; make a token that has it.", await ApiPanel.ProblemDetailAsync(post, 403));
            if (expectedGet == HttpStatusCode.Forbidden)
            {
                Assert.Equal($"This token lacks the scope keys:export, which GET {path} needs; make a token that has it.", await ApiPanel.ProblemDetailAsync(get, 403));
                Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"keys:export\"", get.Headers.WwwAuthenticate.ToString());
            }
        }

        foreach (var path in new[] { "/api/v1/certificates", $"/api/v1/certificates/{_alpha}", Export(_alpha, "synology-zip") + "?includeCaKey=true" })
        {
            answers.Add(($"GET {path}", await (await _api.GetAsync(path, token)).Content.ReadAsByteArrayAsync()));
        }

        Assert.All(answers, answer => Assert.False(HoldsPrivateKey(answer.Body), answer.Call));
        await using var db = _api.Storage.CreateContext();
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.ExportKey && a.Actor == "token:no keys"));
    }

    [Fact]
    public async Task WithoutCertificatesRead_ExportsAre403NamingIt()
    {
        var token = (await _api.CreateTokenAsync("keys only", [.. ApiScopes.All.Where(s => s != ApiScopes.CertificatesRead)])).Secret;
        var path = Export(_alpha, "pfx");

        Assert.Equal($"This token lacks the scope certificates:read, which GET {Export(_alpha, "pem")} needs; make a token that has it.",
            await ApiPanel.ProblemDetailAsync(await _api.GetAsync(Export(_alpha, "pem"), token), 403));
        Assert.Equal($"This token lacks the scope certificates:read, which POST {path} needs; make a token that has it.",
            await ApiPanel.ProblemDetailAsync(await PostAsync(path, token, """{ "password": "p" }"""), 403));
    }

    [Fact]
    public async Task MissingExpiredOrRevokedToken_Is401_OnEveryTransferCall()
    {
        var expired = await _api.CreateTokenAsync("expired", [.. ApiScopes.All]);
        await _api.UpdateTokenAsync(expired.Token.Id, $"ExpiresAt = {DateTimeOffset.UtcNow.AddSeconds(-1).UtcTicks}");
        var revoked = await _api.CreateTokenAsync("revoked", [.. ApiScopes.All]);
        await new ApiTokenService(_api.Storage, TimeProvider.System).RevokeAsync(revoked.Token.Id, "web:admin");
        var calls = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, Export(_alpha, "pem")), (HttpMethod.Get, Export(_alpha, "key")), (HttpMethod.Post, Export(_alpha, "pfx")), (HttpMethod.Post, Import),
        };

        foreach (var (method, path) in calls)
        {
            foreach (var (authorization, expected) in new[]
            {
                ((string?)null, "No API token"), ("Bearer " + expired.Secret, "The token \"expired\" expired on "), ("Bearer " + revoked.Secret, "The token \"revoked\" was revoked on "),
            })
            {
                var response = await _api.SendAsync(method, path, authorization, content: method == HttpMethod.Post ? Json(new { password = "p" }) : null);

                Assert.StartsWith(expected, await ApiPanel.ProblemDetailAsync(response, 401), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task BadRequests_SayWhatIsWrong()
    {
        var root = (await new InventoryService(_api.Storage, TimeProvider.System).ListRangeAsync(new CertificateQuery(), 0, null)).Items
            .First(c => c.IsCertificateAuthority).Id;

        async Task<string> GetAsync(string path, int status = 400) => await ApiPanel.ProblemDetailAsync(await _api.GetAsync(path, _exporter), status);
        async Task<string> PostProblemAsync(string path, string json, int status = 400) => await ApiPanel.ProblemDetailAsync(await PostAsync(path, _exporter, json), status);

        Assert.Equal($"A PKCS#12 file holds the private key and needs a password, which never goes in a URL: POST /api/v1/certificates/{_alpha}/export/pfx with {{\"password\": \"…\"}}.",
            await GetAsync(Export(_alpha, "pfx")));
        Assert.Equal($"A password never goes in a URL, where proxies and logs keep it: POST /api/v1/certificates/{_alpha}/export/key with {{\"password\": \"…\"}}.",
            await GetAsync(Export(_alpha, "key") + "?password=secret"));
        Assert.Equal("There is no parameter \"colour\"; this export takes only includeCaKey (synology-zip).", await GetAsync(Export(_alpha, "pem") + "?colour=red"));
        Assert.Equal("\"includeCaKey\" applies to synology-zip only.", await GetAsync(Export(_alpha, "pem") + "?includeCaKey=true"));
        Assert.Equal("\"includeCaKey\" must be true or false, given once.", await GetAsync(Export(_alpha, "synology-zip") + "?includeCaKey=maybe"));
        Assert.StartsWith("Unknown export format \"pkcs12\"; use one of synology-zip, pem, key,", await GetAsync(Export(_alpha, "pkcs12")), StringComparison.Ordinal);
        Assert.Equal("A certificate id is a whole number from 1 up; \"abc\" was given.", await GetAsync("/api/v1/certificates/abc/export/pem"));
        Assert.Equal("There is no certificate with id 999.", await GetAsync(Export(999, "pem"), 404));
        Assert.EndsWith("has no issuers stored with it (it is self-signed, or was imported without its chain).", await GetAsync(Export(root, "chain")), StringComparison.Ordinal);
        Assert.Equal($"The pem export holds no private key and takes no password: GET /api/v1/certificates/{_alpha}/export/pem.",
            await PostProblemAsync(Export(_alpha, "pem"), "{}"));
        Assert.Equal("A PKCS#12 file holds the private key: give a password to protect it.", await PostProblemAsync(Export(_alpha, "pfx"), "{}"));
        Assert.Equal("A Synology archive is not protected by a password (DSM imports it as it is): leave out \"password\".",
            await PostProblemAsync(Export(_alpha, "synology-zip"), """{ "password": "p" }"""));
        Assert.Equal("\"includeCaKey\" applies to synology-zip only.", await PostProblemAsync(Export(_alpha, "pfx"), """{ "password": "p", "includeCaKey": true }"""));
        Assert.StartsWith("The body is not the JSON this call takes", await PostProblemAsync(Export(_alpha, "pfx"), """{ "pasword": "p" }"""), StringComparison.Ordinal);
        Assert.Equal("The body is larger than this call accepts (65536 bytes).",
            await PostProblemAsync(Export(_alpha, "pfx"), $$"""{ "password": "{{new string('p', 70_000)}}" }""", 413));
        Assert.Equal("The password is 1025 characters long; at most 1024 are accepted.",
            await PostProblemAsync(Export(_alpha, "pfx"), $$"""{ "password": "{{new string('p', 1025)}}" }"""));
        Assert.Equal("This export takes no query parameters: the password and includeCaKey go in the JSON body.",
            await PostProblemAsync(Export(_alpha, "pfx") + "?password=p", """{ "password": "p" }"""));
        var text = await _api.SendAsync(HttpMethod.Post, Export(_alpha, "pfx"), "Bearer " + _exporter, content: new StringContent("password=p", Encoding.UTF8, "text/plain"));
        Assert.Equal("Send the body as application/json.", await ApiPanel.ProblemDetailAsync(text, 415));
        await using var db = _api.Storage.CreateContext();
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.ExportKey && a.Outcome == AuditOutcome.Succeeded));
    }
}
