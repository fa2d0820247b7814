using System.Net;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Api;

public sealed class BoxApiTests : IAsyncLifetime
{
    private const string Boxes = "/api/v1/boxes";
    private const string Secret = "a-webhook-signing-secret-never-returned";

    private ApiPanel _api = null!;
    private string _deployer = null!;
    private string _reader = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _deployer = (await _api.CreateTokenAsync("deployer", ApiScopes.BoxesDeploy, ApiScopes.CertificatesRead)).Secret;
        _reader = (await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead)).Secret;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<HttpResponseMessage> CreateWebhookBoxAsync(string token) => _api.SendJsonAsync(HttpMethod.Post, Boxes, token, $$"""
        { "name": "nas2", "addresses": ["nas2.home.arpa", "127.0.0.1"], "watch": ["127.0.0.1:1"], "delivery": "webhook",
          "settings": { "url": "http://127.0.0.1:1/hook" }, "secrets": { "secret": "{{Secret}}" } }
        """);

    [Fact]
    public async Task Create_Is201_NeverReturnsTheSecret_AndEveryReadAgrees()
    {
        var response = await CreateWebhookBoxAsync(_deployer);

        var created = await ApiCalls.JsonAsync(response, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/boxes/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("webhook", created.GetProperty("delivery").GetString());
        Assert.Equal(["secret"], created.GetProperty("secretsSet").EnumerateArray().Select(s => s.GetString()));
        var list = await ApiCalls.JsonAsync(await _api.GetAsync(Boxes, _reader), HttpStatusCode.OK);
        var show = await ApiCalls.JsonAsync(await _api.GetAsync($"{Boxes}/NAS2", _reader), HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt32());
        Assert.Equal("127.0.0.1", show.GetProperty("endpoints")[0].GetProperty("host").GetString());
        foreach (var json in new[] { created, list, show })
        {
            Assert.DoesNotContain(Secret, json.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal("token:deployer", (await _api.LastAuditAsync(AuditActions.AddBox)).Actor);
    }

    [Fact]
    public async Task TestCheckDeployHistoryDelete_AnswerWithTheirOutcomes()
    {
        await ApiCalls.JsonAsync(await CreateWebhookBoxAsync(_deployer), HttpStatusCode.Created);

        var tested = await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, $"{Boxes}/nas2/test", _deployer, null), HttpStatusCode.OK);
        Assert.False(tested.GetProperty("succeeded").GetBoolean());
        Assert.Equal("connect", tested.GetProperty("failure").GetString());

        var checks = await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, $"{Boxes}/nas2/check", _deployer, null), HttpStatusCode.OK);
        Assert.Equal("unreachable", Assert.Single(checks.GetProperty("items").EnumerateArray()).GetProperty("state").GetString());

        var refused = await _api.SendJsonAsync(HttpMethod.Post, $"{Boxes}/nas2/deploy", _deployer, null);
        Assert.Contains("no CA to issue from and no certificate chosen", await ApiPanel.ProblemDetailAsync(refused, 400), StringComparison.Ordinal);

        var history = await ApiCalls.JsonAsync(await _api.GetAsync($"{Boxes}/nas2/deployments", _reader), HttpStatusCode.OK);
        Assert.Empty(history.GetProperty("items").EnumerateArray());

        await ApiCalls.JsonAsync(await _api.SendAsync(HttpMethod.Delete, $"{Boxes}/nas2", $"Bearer {_deployer}"), HttpStatusCode.OK);
        var gone = await _api.GetAsync($"{Boxes}/nas2", _reader);
        Assert.Contains("There is no box \"nas2\"", await ApiPanel.ProblemDetailAsync(gone, 404), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_WithoutBoxesDeploy_Are403()
    {
        var create = await CreateWebhookBoxAsync(_reader);
        var check = await _api.SendJsonAsync(HttpMethod.Post, $"{Boxes}/nas2/check", _reader, null);

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, check.StatusCode);
        Assert.Empty((await ApiCalls.JsonAsync(await _api.GetAsync(Boxes, _reader), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("{ \"name\": \"nas2\", \"addresses\": [\"nas2.lan\"], \"watch\": [\"nas2.lan:0\"] }", "from 1 to 65535")]
    [InlineData("{ \"name\": \"nas2\", \"addresses\": [\"nas2.lan\"], \"colour\": \"red\" }", "colour")]
    [InlineData("{ \"name\": \"nas2\", \"addresses\": [\"nas2.lan\"], \"delivery\": \"webhook\", \"settings\": { \"url\": \"http://127.0.0.1/\", \"secret\": \"x\" } }", "is a secret")]
    [InlineData("{ \"name\": ", "")]
    [InlineData("[]", "")]
    public async Task Create_BadBody_Is400_AndStoresNothing(string body, string reason)
    {
        var response = await _api.SendJsonAsync(HttpMethod.Post, Boxes, _deployer, body);

        Assert.Contains(reason, await ApiPanel.ProblemDetailAsync(response, 400), StringComparison.Ordinal);
        Assert.Empty((await ApiCalls.JsonAsync(await _api.GetAsync(Boxes, _reader), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }
}
