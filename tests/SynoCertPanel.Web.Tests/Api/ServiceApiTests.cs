using System.Globalization;
using System.Net;
using System.Text.Json;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tests.Boxes.Webhook;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>GET /api/v1/services on a running panel: the listener's default, a box deployed to through the box call, a watch-only box.</summary>
public sealed class ServiceApiTests : IAsyncLifetime
{
    private const string Services = "/api/v1/services";
    private const string Secret = "a-signing-secret-of-32-characters";
    private ApiPanel _api = null!;
    private WebhookBox _receiver = null!;
    private string _deployer = null!;
    private string _reader = null!;

    public async Task InitializeAsync()
    {
        _receiver = WebhookBox.Start(Secret);
        _api = await ApiPanel.StartAsync();
        _deployer = (await _api.CreateTokenAsync("deployer", ApiScopes.BoxesDeploy, ApiScopes.CertificatesRead)).Secret;
        _reader = (await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead)).Secret;
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task List_ListenerBoxDeployedToAndWatchOnlyBox_EachWithWhatItUses()
    {
        var created = await new SelfSignedService(_api.Storage, TimeProvider.System).CreateAsync(new SelfSignedRequest
        {
            Root = new RootCaOptions { Subject = DistinguishedName.Create("Hook Root").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
            Server = new LeafOptions
            {
                Subject = DistinguishedName.Create("localhost").Value,
                SubjectAlternativeNames = SanParser.ParseAll(["localhost", "127.0.0.1"]).Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            },
            Description = "For the hook",
            SetAsDefault = false,
        }, "test");
        Assert.True(created.IsSuccess, created.Error);
        var certificate = created.Value.CertificateId;
        await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, "/api/v1/boxes", _deployer, $$"""
            { "name": "hooked", "addresses": ["localhost", "127.0.0.1"], "watch": ["127.0.0.1:{{_receiver.TlsPort}}"], "delivery": "webhook",
              "settings": { "url": "{{_receiver.Url}}" }, "secrets": { "secret": "{{Secret}}" } }
            """), HttpStatusCode.Created);
        await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, "/api/v1/boxes", _deployer,
            """{ "name": "printer", "addresses": ["printer.lan"] }"""), HttpStatusCode.Created);
        var deployed = await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, "/api/v1/boxes/hooked/deploy", _deployer,
            string.Create(CultureInfo.InvariantCulture, $$"""{ "certificateId": {{certificate}} }""")), HttpStatusCode.OK);
        Assert.Equal("succeeded", deployed.GetProperty("outcome").GetString());

        var list = await ApiCalls.JsonAsync(await _api.GetAsync(Services, _reader), HttpStatusCode.OK);

        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["listener", "box:hooked", "box:printer"], items.Select(i => i.GetProperty("service").GetString()));
        await using (var db = _api.Storage.CreateContext())
        {
            Assert.Equal(await DefaultCertificate.GetAsync(db), items[0].GetProperty("uses").GetProperty("id").GetInt32());
        }

        var hooked = items[1];
        Assert.Equal(("box", "webhook", certificate), (hooked.GetProperty("kind").GetString(), hooked.GetProperty("delivery").GetString(),
            hooked.GetProperty("uses").GetProperty("id").GetInt32()));
        Assert.Equal("For the hook", hooked.GetProperty("uses").GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.Null, hooked.GetProperty("setRefusal").ValueKind);
        var printer = items[2];
        Assert.Equal(JsonValueKind.Null, printer.GetProperty("uses").ValueKind);
        Assert.Contains("is watched only", printer.GetProperty("setRefusal").GetString(), StringComparison.Ordinal);
        Assert.False(Assert.Single(printer.GetProperty("endpoints").EnumerateArray()).GetProperty("servesAnother").GetBoolean());
        Assert.DoesNotContain(Secret, list.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithoutTokenOrScope_IsRefused()
    {
        var other = (await _api.CreateTokenAsync("deploy-only", ApiScopes.BoxesDeploy)).Secret;

        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync(Services, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync(Services, other)).StatusCode);
    }
}
