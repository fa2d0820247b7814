using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Boxes.Webhook;
using SynoCertPanel.Core.Tests.Alerts;
using SynoCertPanel.Core.Tokens;
using Client = SynoCertPanel.Api.Client.Models;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>/api/v1/alerts and PATCH /api/v1/boxes/{box} through the generated client, against a real panel and a real local receiver.</summary>
public sealed class AlertApiTests : IAsyncLifetime
{
    private const string Secret = "api-webhook-signing-secret-0123456789";

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

    private static Client.CreateAlertChannelBody Hook(string url) => new()
    {
        Name = "hook",
        Channel = "webhook",
        Settings = new Client.CreateAlertChannelBody_settings { AdditionalData = new Dictionary<string, object> { ["url"] = url } },
        Secrets = new Client.CreateAlertChannelBody_secrets { AdditionalData = new Dictionary<string, object> { ["secret"] = Secret } },
    };

    [Fact]
    public async Task Channels_AddTestEditHistoryDelete_SecretsNeverReturned()
    {
        await using var receiver = AlertReceiver.Start();
        using var http = ApiClientTests.PinnedHttpClient(_api);
        var client = ApiClientTests.Client(http, _api, _deployer);
        var reader = ApiClientTests.Client(http, _api, _reader);

        var created = await client.Api.V1.Alerts.PostAsync(Hook(receiver.Url + "/first"));
        var first = await client.Api.V1.Alerts["HOOK"].Test.PostAsync();
        var edited = await client.Api.V1.Alerts["hook"].PatchAsync(new Client.UpdateAlertChannelBody
        {
            Name = "lab-hook",
            Settings = new Client.UpdateAlertChannelBody_settings { AdditionalData = new Dictionary<string, object> { ["url"] = receiver.Url + "/second" } },
            Enabled = false,
        });
        var second = await client.Api.V1.Alerts["lab-hook"].Test.PostAsync();
        var listed = await reader.Api.V1.Alerts.GetAsync();
        var history = await reader.Api.V1.Alerts.History.GetAsync(r => r.QueryParameters.Limit = 1);

        Assert.Equal(["secret"], created!.SecretsSet);
        Assert.Equal(("sent", "test"), (first!.Outcome, first.Event));
        Assert.Equal(("lab-hook", false, receiver.Url + "/second"), (edited!.Name, edited.Enabled, (string)edited.Settings!.AdditionalData["url"]));
        Assert.Equal(["secret"], edited.SecretsSet);
        Assert.Equal("sent", second!.Outcome);
        Assert.Equal(["/first", "/second"], receiver.Received.Select(r => r.Path));
        Assert.All(receiver.Received, r => Assert.Equal(WebhookDelivery.Sign(Secret, r.Body), r.Header("X-Signature")));
        var channel = Assert.Single(listed!.Items!);
        Assert.Equal(second.At, channel.LastSentAt);
        Assert.Null(channel.LastError);
        Assert.Equal(second.Id, Assert.Single(history!.Items!).Id);
        Assert.Equal("token:deployer", (await _api.LastAuditAsync(AuditActions.UpdateAlertChannel)).Actor);

        var deleted = await client.Api.V1.Alerts["lab-hook"].DeleteAsync();
        Assert.Equal("lab-hook", deleted!.Name);
        Assert.Empty((await reader.Api.V1.Alerts.GetAsync())!.Items!);
        Assert.Equal(2, (await reader.Api.V1.Alerts.History.GetAsync())!.Items!.Count);
        var raw = await (await _api.GetAsync("/api/v1/alerts/history", _reader)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Channels_Refusals_AreProblemsWithThePagesSentence_AndChangeNothing()
    {
        using var http = ApiClientTests.PinnedHttpClient(_api);
        var client = ApiClientTests.Client(http, _api, _deployer);
        var reader = ApiClientTests.Client(http, _api, _reader);
        await client.Api.V1.Alerts.PostAsync(Hook("https://hooks.lan/alerts"));

        var badUrl = await Assert.ThrowsAsync<Client.ProblemDetails>(() => client.Api.V1.Alerts["hook"].PatchAsync(new Client.UpdateAlertChannelBody
        {
            Settings = new Client.UpdateAlertChannelBody_settings { AdditionalData = new Dictionary<string, object> { ["url"] = "javascript:alert(1)" } },
        }));
        var badName = await Assert.ThrowsAsync<Client.ProblemDetails>(() => client.Api.V1.Alerts.PostAsync(Hook("https://hooks.lan/")));
        var missing = await Assert.ThrowsAsync<Client.ProblemDetails>(() => client.Api.V1.Alerts["pager"].Test.PostAsync());
        var forbidden = await Assert.ThrowsAsync<Client.ProblemDetails>(() => reader.Api.V1.Alerts["hook"].DeleteAsync());
        var badLimit = await _api.GetAsync("/api/v1/alerts/history?limit=all", _reader);

        Assert.Equal((400, "The webhook URL \"javascript:alert(1)\" is not an http:// or https:// URL."), (badUrl.ResponseStatusCode, badUrl.Detail));
        Assert.Equal(400, badName.ResponseStatusCode);
        Assert.Contains("already exists", badName.Detail, StringComparison.Ordinal);
        Assert.Equal((404, "There is no alert channel \"pager\"; `alert list` shows the channels."), (missing.ResponseStatusCode, missing.Detail));
        Assert.Equal(403, forbidden.ResponseStatusCode);
        Assert.Contains("\"limit\" must be a whole number from 1 to 1000", await ApiPanel.ProblemDetailAsync(badLimit, 400), StringComparison.Ordinal);
        var stored = Assert.Single((await reader.Api.V1.Alerts.GetAsync())!.Items!);
        Assert.Equal("https://hooks.lan/alerts", (string)stored.Settings!.AdditionalData["url"]);
    }

    [Fact]
    public async Task Box_Patch_ChangesWhatIsGiven_KeepsTheSecret_RefusesBadInput()
    {
        using var http = ApiClientTests.PinnedHttpClient(_api);
        var client = ApiClientTests.Client(http, _api, _deployer);
        var reader = ApiClientTests.Client(http, _api, _reader);
        await client.Api.V1.Boxes.PostAsync(new Client.CreateBoxBody
        {
            Name = "nas2",
            Addresses = ["nas2.home.arpa"],
            Watch = ["nas2.home.arpa:5001"],
            Delivery = "webhook",
            Settings = new Client.CreateBoxBody_settings { AdditionalData = new Dictionary<string, object> { ["url"] = "https://nas2.home.arpa:9443/hook" } },
            Secrets = new Client.CreateBoxBody_secrets { AdditionalData = new Dictionary<string, object> { ["secret"] = Secret } },
        });

        var patched = await client.Api.V1.Boxes["NAS2"].PatchAsync(new Client.UpdateBoxBody
        {
            Name = "nas-two",
            Watch = ["nas2.home.arpa:5001", "nas2.home.arpa:443"],
            ForgetPin = true,
            Enabled = false,
        });
        var bad = await Assert.ThrowsAsync<Client.ProblemDetails>(() => client.Api.V1.Boxes["nas-two"].PatchAsync(new Client.UpdateBoxBody { Delivery = "ftp" }));
        var missing = await Assert.ThrowsAsync<Client.ProblemDetails>(() => client.Api.V1.Boxes["nas9"].PatchAsync(new Client.UpdateBoxBody { Name = "x" }));
        var forbidden = await Assert.ThrowsAsync<Client.ProblemDetails>(() => reader.Api.V1.Boxes["nas-two"].PatchAsync(new Client.UpdateBoxBody { Name = "x" }));
        var shown = await reader.Api.V1.Boxes["nas-two"].GetAsync();

        Assert.Equal(("nas-two", false), (patched!.Name, patched.Enabled));
        Assert.Equal(["nas2.home.arpa:5001", "nas2.home.arpa:443"], patched.Endpoints!.Select(e => $"{e.Host}:{e.Port}"));
        Assert.Equal(["secret"], patched.SecretsSet);
        Assert.Equal(400, bad.ResponseStatusCode);
        Assert.StartsWith("\"ftp\" is not a delivery method", bad.Detail, StringComparison.Ordinal);
        Assert.Equal((404, "There is no box \"nas9\"; `box list` shows the boxes and their ids."), (missing.ResponseStatusCode, missing.Detail));
        Assert.Equal(403, forbidden.ResponseStatusCode);
        Assert.Equal(("nas-two", "webhook"), (shown!.Name, shown.Delivery));
        Assert.Equal("token:deployer", (await _api.LastAuditAsync(AuditActions.UpdateBox)).Actor);
        Assert.DoesNotContain(Secret, await (await _api.GetAsync("/api/v1/boxes", _reader)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
