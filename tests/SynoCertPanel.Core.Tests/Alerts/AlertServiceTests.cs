using System.Globalization;
using System.Text.Json;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Watch;

namespace SynoCertPanel.Core.Tests.Alerts;

/// <summary>What the service sends and when: one message per state change to every enabled channel, history, audit, secrets.</summary>
public sealed class AlertServiceTests
{
    private const string SigningSecret = "webhook-secret-0123456789";
    private const string NtfyToken = "tk_secret0123456789abcdefghijkl";

    private static async Task<IReadOnlyList<EndpointCheck>> CheckClosedPortBoxAsync(AlertLab lab, int port)
    {
        var boxes = new BoxService(lab.Panel.Storage, BoxDeliveries.Standard(lab.Panel.Time), lab.Panel.Time);
        var added = await boxes.AddAsync(new BoxDraft { Name = "nas2", Addresses = ["127.0.0.1"], Watch = [$"127.0.0.1:{port}"] }, AlertLab.Actor);
        Assert.True(added.IsSuccess, added.Error);
        return await ProbeAsync(lab);
    }

    private static async Task<IReadOnlyList<EndpointCheck>> ProbeAsync(AlertLab lab)
    {
        var watch = new BoxWatch(lab.Panel.Storage, new EndpointProbe(lab.Panel.Time), lab.Panel.Time);
        var checks = await watch.CheckAsync("nas2");
        Assert.True(checks.IsSuccess, checks.Error);
        return checks.Value;
    }

    [Fact]
    public async Task Notify_OneMessagePerChange_ToEnabledChannelsOnly_NothingWhenTheStateStays()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = receiver.Url + "/hook" }, new() { ["secret"] = SigningSecret });
        await lab.AddAsync("phone", "ntfy", new() { ["server-url"] = receiver.Url, ["topic"] = "lab" });
        await lab.AddAsync("muted", "ntfy", new() { ["server-url"] = receiver.Url, ["topic"] = "muted" });
        Assert.True((await lab.Alerts.SetEnabledAsync("muted", false, AlertLab.Actor)).IsSuccess);
        var port = AlertReceiver.FreePort();

        var first = await CheckClosedPortBoxAsync(lab, port);
        var sentFirst = await lab.Alerts.NotifyAsync(first);
        var second = await ProbeAsync(lab);
        var sentSecond = await lab.Alerts.NotifyAsync(second);

        Assert.NotNull(Assert.Single(first).Change);
        Assert.Null(Assert.Single(second).Change);
        Assert.Equal(["hook", "phone"], sentFirst.Select(e => e.ChannelName).Order(StringComparer.Ordinal));
        Assert.All(sentFirst, e => Assert.Equal((AlertSendOutcome.Sent, "endpoint"), (e.Outcome, e.Event)));
        Assert.Empty(sentSecond);
        Assert.Equal(["/hook", "/lab"], receiver.Received.Select(r => r.Path).Order(StringComparer.Ordinal));
        var subject = $"nas2: 127.0.0.1:{port} is unreachable";
        Assert.All(sentFirst, e => Assert.Equal(subject, e.Subject));
        var ntfy = receiver.Received.Single(r => r.Path == "/lab");
        Assert.Equal((subject, "5", "rotating_light,synocertpanel,endpoint"), (ntfy.Header("Title"), ntfy.Header("Priority"), ntfy.Header("Tags")));
        Assert.StartsWith($"127.0.0.1:{port}: unreachable. ", ntfy.Text, StringComparison.Ordinal);
        var hook = JsonDocument.Parse(receiver.Received.Single(r => r.Path == "/hook").Body).RootElement;
        Assert.Equal(("endpoint", "critical", "nas2", $"127.0.0.1:{port}", "unreachable"),
            (hook.GetProperty("event").GetString(), hook.GetProperty("level").GetString(), hook.GetProperty("box").GetString(),
                hook.GetProperty("endpoint").GetString(), hook.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, hook.GetProperty("previous").ValueKind);
        Assert.Equal(2, (await lab.Alerts.HistoryAsync()).Count);
    }

    [Fact]
    public async Task Notify_TheSameChangeGivenTwice_SendsOneMessage()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = receiver.Url }, new() { ["secret"] = SigningSecret });
        var checks = await CheckClosedPortBoxAsync(lab, AlertReceiver.FreePort());

        var sent = await lab.Alerts.NotifyAsync([.. checks, .. checks]);

        Assert.Single(sent);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task NotifyDeploy_FailedOrRolledBack_Sends_SucceededDoesNot()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = receiver.Url }, new() { ["secret"] = SigningSecret });
        DeploymentSummary Deploy(DeploymentOutcome outcome, string message) =>
            new(7, 1, "nas2", 12, 11, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, outcome, outcome == DeploymentOutcome.Succeeded ? null : "verify", message, []);

        var succeeded = await lab.Alerts.NotifyDeployAsync(Deploy(DeploymentOutcome.Succeeded, "Every endpoint serves certificate 12."));
        var rolledBack = await lab.Alerts.NotifyDeployAsync(Deploy(DeploymentOutcome.RolledBack,
            "127.0.0.1:8443 still serves the old certificate; the previous one was put back."));

        Assert.Empty(succeeded);
        var entry = Assert.Single(rolledBack);
        Assert.Equal(("deploy", "nas2: deploy rolled back", AlertSendOutcome.Sent), (entry.Event, entry.Subject, entry.Outcome));
        var json = JsonDocument.Parse(Assert.Single(receiver.Received).Body).RootElement;
        Assert.Equal("The deploy of certificate 12 to nas2 was rolled back. 127.0.0.1:8443 still serves the old certificate; the previous one was put back.",
            json.GetProperty("message").GetString());
        Assert.Equal(("critical", "rolled-back"), (json.GetProperty("level").GetString(), json.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Notify_NoEnabledChannel_SendsAndRecordsNothing()
    {
        await using var lab = await AlertLab.CreateAsync();
        var checks = await CheckClosedPortBoxAsync(lab, AlertReceiver.FreePort());

        Assert.Empty(await lab.Alerts.NotifyAsync(checks));
        Assert.Empty(await lab.Alerts.HistoryAsync());
    }

    [Fact]
    public async Task Secrets_SealedAtRest_NeverInSummariesHistoryOrAudit_EvenWhenTheServerEchoesThem()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        receiver.Status = 403;
        receiver.Answer = $"token {NtfyToken} is not allowed to write to lab";
        var added = await lab.AddAsync("phone", "ntfy", new() { ["server-url"] = receiver.Url, ["topic"] = "lab" }, new() { ["access-token"] = NtfyToken });
        await lab.AddAsync("hook", "webhook", new() { ["url"] = receiver.Url }, new() { ["secret"] = SigningSecret });

        var sent = await lab.Alerts.SendTestAsync("phone", AlertLab.Actor);
        receiver.Status = 200;
        var hook = await lab.Alerts.SendTestAsync("hook", AlertLab.Actor);
        var listed = await lab.Alerts.ListAsync();
        await lab.Alerts.DeleteAsync("hook", AlertLab.Actor);

        Assert.Equal(["access-token"], added.SecretsSet);
        Assert.Equal(AlertSendOutcome.Sent, hook.Value.Outcome);
        Assert.Equal($"Login: The ntfy server at 127.0.0.1:{receiver.Port} refused the access token (403: token (secret) is not allowed to write to lab)", sent.Value.Error);
        var everything = string.Join('\n',
            JsonSerializer.Serialize(listed),
            JsonSerializer.Serialize(await lab.Alerts.HistoryAsync()),
            JsonSerializer.Serialize(await lab.AuditAsync()),
            await lab.RawDataAsync());
        Assert.DoesNotContain(NtfyToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(SigningSecret, everything, StringComparison.Ordinal);
        Assert.Contains("access-token", everything, StringComparison.Ordinal);
        Assert.Equal($"Bearer {NtfyToken}", receiver.Received.First().Header("Authorization"));
    }

    [Fact]
    public async Task ChannelChanges_AreAudited_AndHistoryOutlivesADeletedChannel()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        var added = await lab.AddAsync("hook", "webhook", new() { ["url"] = receiver.Url }, new() { ["secret"] = SigningSecret });

        await lab.Alerts.SetEnabledAsync(added.Id.ToString(CultureInfo.InvariantCulture), false, AlertLab.Actor);
        var test = await lab.Alerts.SendTestAsync("hook", AlertLab.Actor);
        await lab.Alerts.SetEnabledAsync("hook", true, AlertLab.Actor);
        var deleted = await lab.Alerts.DeleteAsync("HOOK", AlertLab.Actor);
        var missing = await lab.Alerts.DeleteAsync("hook", AlertLab.Actor);

        Assert.Equal(AlertSendOutcome.Sent, test.Value.Outcome);
        Assert.True(deleted.IsSuccess);
        Assert.Equal("There is no alert channel \"hook\"; `alert list` shows the channels.", missing.Error);
        Assert.Equal(
            [("alert.add", AuditOutcome.Succeeded), ("alert.disable", AuditOutcome.Succeeded), ("alert.test", AuditOutcome.Succeeded),
                ("alert.enable", AuditOutcome.Succeeded), ("alert.delete", AuditOutcome.Succeeded), ("alert.delete", AuditOutcome.Refused)],
            (await lab.AuditAsync()).Select(a => (a.Action, a.Outcome)));
        Assert.StartsWith("webhook; url http://127.0.0.1:", (await lab.AuditAsync())[0].Detail, StringComparison.Ordinal);
        Assert.EndsWith("; secrets set: secret", (await lab.AuditAsync())[0].Detail, StringComparison.Ordinal);
        Assert.Empty(await lab.Alerts.ListAsync());
        var history = Assert.Single(await lab.Alerts.HistoryAsync());
        Assert.Equal(("hook", "test"), (history.ChannelName, history.Event));
    }

    [Fact]
    public async Task Watch_GivenTheAlertService_SendsTheChangeItself_OncePerChange()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        await lab.AddAsync("phone", "ntfy", new() { ["server-url"] = receiver.Url, ["topic"] = "lab" });
        var port = AlertReceiver.FreePort();
        var boxes = new BoxService(lab.Panel.Storage, BoxDeliveries.Standard(lab.Panel.Time), lab.Panel.Time);
        Assert.True((await boxes.AddAsync(new BoxDraft { Name = "nas2", Addresses = ["127.0.0.1"], Watch = [$"127.0.0.1:{port}"] }, AlertLab.Actor)).IsSuccess);
        var watch = new BoxWatch(lab.Panel.Storage, new EndpointProbe(lab.Panel.Time), lab.Panel.Time, lab.Alerts);

        await watch.CheckAsync("nas2");
        await watch.CheckAsync("nas2");

        var sent = Assert.Single(receiver.Received);
        Assert.Equal("/lab", sent.Path);
        Assert.Equal($"nas2: 127.0.0.1:{port} is unreachable", sent.Header("Title"));
        Assert.Single(await lab.Alerts.HistoryAsync());
    }
}
