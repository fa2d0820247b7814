using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SynoCertPanel.Core.Alerts;
using SynoCertPanel.Core.Boxes.Webhook;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tests.Alerts;

/// <summary>ntfy, Gotify and the webhook against a local HTTP receiver: exactly what goes over the wire, and how failures read.</summary>
public sealed class HttpChannelTests
{
    private const string NtfyToken = "tk_0123456789abcdefghijklmnopqrst";
    private const string GotifyToken = "AbCdEfGhIjKlMnO";
    private const string SigningSecret = "webhook-secret-0123456789";

    [Fact]
    public async Task Ntfy_SendTest_PostsBodyToTopicWithTitlePriorityTagsAndBearerToken()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        await lab.AddAsync("phone", "ntfy", new() { ["server-url"] = receiver.Url + "/", ["topic"] = "lab-alerts" }, new() { ["access-token"] = NtfyToken });

        var sent = await lab.Alerts.SendTestAsync("PHONE", AlertLab.Actor);

        Assert.True(sent.IsSuccess, sent.Error);
        Assert.Equal(AlertSendOutcome.Sent, sent.Value.Outcome);
        var request = Assert.Single(receiver.Received);
        Assert.Equal(("POST", "/lab-alerts", string.Empty), (request.Method, request.Path, request.Query));
        Assert.Equal("SynoCertPanel test message for phone", request.Header("Title"));
        Assert.Equal("3", request.Header("Priority"));
        Assert.Equal("test_tube,synocertpanel,test", request.Header("Tags"));
        Assert.Equal($"Bearer {NtfyToken}", request.Header("Authorization"));
        Assert.Equal("text/plain; charset=utf-8", request.Header("Content-Type"));
        Assert.StartsWith("This is a test sent at ", request.Text, StringComparison.Ordinal);
        Assert.EndsWith("Alerts for the channel \"phone\" arrive like this.", request.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ntfy_WithoutToken_SendsNoAuthorization()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        await lab.AddAsync("public", "ntfy", new() { ["server-url"] = receiver.Url, ["topic"] = "open_topic" });

        var sent = await lab.Alerts.SendTestAsync("public", AlertLab.Actor);

        Assert.Equal(AlertSendOutcome.Sent, sent.Value.Outcome);
        Assert.Null(Assert.Single(receiver.Received).Header("Authorization"));
    }

    [Fact]
    public async Task Gotify_SendTest_PostsJsonToMessageUnderThePathPrefix_WithTheKeyHeaderNotTheQuery()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        await lab.AddAsync("gotify", "gotify", new() { ["server-url"] = receiver.Url + "/gotify" }, new() { ["app-token"] = GotifyToken });

        var sent = await lab.Alerts.SendTestAsync("gotify", AlertLab.Actor);

        Assert.Equal(AlertSendOutcome.Sent, sent.Value.Outcome);
        var request = Assert.Single(receiver.Received);
        Assert.Equal(("POST", "/gotify/message", string.Empty), (request.Method, request.Path, request.Query));
        Assert.Equal(GotifyToken, request.Header(GotifyChannel.TokenHeader));
        Assert.Equal("application/json", request.Header("Content-Type"));
        var json = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("SynoCertPanel test message for gotify", json.GetProperty("title").GetString());
        Assert.StartsWith("This is a test sent at ", json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, json.GetProperty("priority").GetInt32());
    }

    [Fact]
    public async Task Webhook_SendTest_BodyIsSignedWithHmacSha256OfTheSecret()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = receiver.Url + "/alerts?source=panel" }, new() { ["secret"] = SigningSecret });

        var sent = await lab.Alerts.SendTestAsync("hook", AlertLab.Actor);

        Assert.Equal(AlertSendOutcome.Sent, sent.Value.Outcome);
        var request = Assert.Single(receiver.Received);
        Assert.Equal(("/alerts", "?source=panel"), (request.Path, request.Query));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningSecret), request.Body));
        Assert.True(CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(request.Header(WebhookDelivery.SignatureHeader) ?? string.Empty)));
        var forged = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("another-secret-0123456789"u8, request.Body));
        Assert.NotEqual(forged, request.Header(WebhookDelivery.SignatureHeader));
        var json = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("test", json.GetProperty("event").GetString());
        Assert.Equal("info", json.GetProperty("level").GetString());
        Assert.Equal("SynoCertPanel test message for hook", json.GetProperty("subject").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("box").ValueKind);
    }

    [Fact]
    public async Task ReceiverDown_FailsWithASentenceNamingTheAddress_AndIsRecorded()
    {
        await using var lab = await AlertLab.CreateAsync();
        var port = AlertReceiver.FreePort();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = $"http://127.0.0.1:{port}/x" }, new() { ["secret"] = SigningSecret });

        var sent = await lab.Alerts.SendTestAsync("hook", AlertLab.Actor);

        Assert.Equal(AlertSendOutcome.Failed, sent.Value.Outcome);
        Assert.StartsWith($"Connect: Nothing answers at 127.0.0.1:{port} (", sent.Value.Error, StringComparison.Ordinal);
        Assert.EndsWith("is the webhook receiver running?", sent.Value.Error, StringComparison.Ordinal);
        var history = Assert.Single(await lab.Alerts.HistoryAsync());
        Assert.Equal(sent.Value, history);
        var audit = (await lab.AuditAsync()).Last();
        Assert.Equal(("alert.test", "hook", AuditOutcome.Failed), (audit.Action, audit.Target, audit.Outcome));
    }

    [Fact]
    public async Task Unauthorized_SaysTheTokenWasRefused_WithTheServersWords()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        receiver.Status = 401;
        receiver.Answer = """{"code":40101,"http":401,"error":"unauthorized"}""";
        await lab.AddAsync("phone", "ntfy", new() { ["server-url"] = receiver.Url, ["topic"] = "lab" }, new() { ["access-token"] = NtfyToken });

        var sent = await lab.Alerts.SendTestAsync("phone", AlertLab.Actor);

        Assert.Equal($"Login: The ntfy server at 127.0.0.1:{receiver.Port} refused the access token (401: {receiver.Answer})", sent.Value.Error);
    }

    [Fact]
    public async Task ServerError_SaysTheStatusAndAnExcerptOfTheBody()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        receiver.Status = 500;
        receiver.Answer = "database is locked " + new string('x', 500);
        await lab.AddAsync("gotify", "gotify", new() { ["server-url"] = receiver.Url }, new() { ["app-token"] = GotifyToken });

        var sent = await lab.Alerts.SendTestAsync("gotify", AlertLab.Actor);

        Assert.StartsWith($"Refused: The Gotify server at 127.0.0.1:{receiver.Port} answered 500 Internal Server Error: database is locked xxx", sent.Value.Error, StringComparison.Ordinal);
        Assert.EndsWith("….", sent.Value.Error, StringComparison.Ordinal);
        Assert.True(sent.Value.Error!.Length < 350, sent.Value.Error);
    }

    [Fact]
    public async Task NoAnswer_GivesUpAfterTheTimeout()
    {
        await using var lab = await AlertLab.CreateAsync(TimeSpan.FromSeconds(1));
        await using var receiver = AlertReceiver.Start();
        receiver.Delay = TimeSpan.FromSeconds(20);
        await lab.AddAsync("hook", "webhook", new() { ["url"] = receiver.Url }, new() { ["secret"] = SigningSecret });
        var started = System.Diagnostics.Stopwatch.StartNew();

        var sent = await lab.Alerts.SendTestAsync("hook", AlertLab.Actor);

        Assert.Equal($"Timeout: The webhook receiver at 127.0.0.1:{receiver.Port} did not answer within 1 seconds.", sent.Value.Error);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), started.Elapsed.ToString());
    }

    [Fact]
    public async Task UnknownHost_SaysTheNameDoesNotResolve()
    {
        await using var lab = await AlertLab.CreateAsync();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = "http://no-such-host.invalid/hook" }, new() { ["secret"] = SigningSecret });

        var sent = await lab.Alerts.SendTestAsync("hook", AlertLab.Actor);

        Assert.Equal("Dns: The name no-such-host.invalid does not resolve; check the webhook receiver's URL or the LAN's DNS.", sent.Value.Error);
    }
}
