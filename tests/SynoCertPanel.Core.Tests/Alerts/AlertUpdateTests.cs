using System.Text.Json;
using SynoCertPanel.Core.Alerts;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tests.Alerts;

/// <summary>Editing a channel: each field, secrets kept unless replaced, the add rules and sentences, nothing changed on a refusal; the list's last outcome.</summary>
public sealed class AlertUpdateTests
{
    private const string SigningSecret = "webhook-secret-0123456789";
    private const string NewSecret = "webhook-secret-rotated-987654";

    [Fact]
    public async Task Update_UrlAndName_KeepsTheSecret_ThenTheTestGoesToTheNewUrlSignedWithIt()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = receiver.Url + "/old" }, new() { ["secret"] = SigningSecret });

        var updated = await lab.Alerts.UpdateAsync("HOOK", new AlertChannelChange
        {
            Name = "lab-hook",
            Settings = new Dictionary<string, string> { ["url"] = receiver.Url + "/new" },
            Secrets = new Dictionary<string, string> { ["secret"] = string.Empty },
        }, AlertLab.Actor);
        var sent = await lab.Alerts.SendTestAsync("lab-hook", AlertLab.Actor);

        Assert.True(updated.IsSuccess, updated.Error);
        Assert.Equal("lab-hook", updated.Value.Name);
        Assert.Equal(["secret"], updated.Value.SecretsSet);
        Assert.Equal(AlertSendOutcome.Sent, sent.Value.Outcome);
        var request = Assert.Single(receiver.Received);
        Assert.Equal("/new", request.Path);
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(SigningSecret), request.Body));
        Assert.Equal(expected, request.Header("X-Signature"));
        var audit = (await lab.AuditAsync()).Single(a => a.Action == "alert.update");
        Assert.Equal(("hook", AuditOutcome.Succeeded, "Changed: name hook → lab-hook; settings url."), (audit.Target, audit.Outcome, audit.Detail));
    }

    [Fact]
    public async Task Update_NewSecret_ReplacesIt_NeverStoredOrShownInTheClear()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = receiver.Url }, new() { ["secret"] = SigningSecret });

        var updated = await lab.Alerts.UpdateAsync("hook", new AlertChannelChange { Secrets = new Dictionary<string, string> { ["secret"] = NewSecret } }, AlertLab.Actor);
        await lab.Alerts.SendTestAsync("hook", AlertLab.Actor);

        Assert.True(updated.IsSuccess, updated.Error);
        var request = Assert.Single(receiver.Received);
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(NewSecret), request.Body));
        Assert.Equal(expected, request.Header("X-Signature"));
        Assert.Equal("Changed: secrets replaced secret.", (await lab.AuditAsync()).Single(a => a.Action == "alert.update").Detail);
        var everything = JsonSerializer.Serialize(await lab.Alerts.ListAsync()) + JsonSerializer.Serialize(await lab.AuditAsync()) + await lab.RawDataAsync();
        Assert.DoesNotContain(NewSecret, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_ToAnotherKind_NeedsItsOwnOptions_AndKeepsNoOldSecret()
    {
        await using var lab = await AlertLab.CreateAsync();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = "https://hooks.lan/" }, new() { ["secret"] = SigningSecret });

        var refused = await lab.Alerts.UpdateAsync("hook", new AlertChannelChange { Channel = "ntfy" }, AlertLab.Actor);
        var changed = await lab.Alerts.UpdateAsync("hook", new AlertChannelChange
        {
            Channel = "ntfy",
            Settings = new Dictionary<string, string> { ["server-url"] = "https://ntfy.lan", ["topic"] = "lab" },
        }, AlertLab.Actor);

        Assert.Contains("needs the", refused.Error, StringComparison.Ordinal);
        Assert.True(changed.IsSuccess, changed.Error);
        Assert.Equal(("ntfy", 0), (changed.Value.Kind, changed.Value.SecretsSet.Count));
        Assert.DoesNotContain("url", changed.Value.Settings.Keys);
    }

    public static TheoryData<string, AlertChannelChange> Refusals => new()
    {
        { "has no option \"colour\"", new AlertChannelChange { Settings = new Dictionary<string, string> { ["colour"] = "red" } } },
        { "is a secret", new AlertChannelChange { Settings = new Dictionary<string, string> { ["secret"] = NewSecret } } },
        { "is not a secret", new AlertChannelChange { Secrets = new Dictionary<string, string> { ["url"] = "https://x.lan/" } } },
        { "needs the", new AlertChannelChange { Settings = new Dictionary<string, string> { ["url"] = " " } } },
        { "is not an http:// or https:// URL", new AlertChannelChange { Settings = new Dictionary<string, string> { ["url"] = "javascript:alert(1)" } } },
        { "Put no account or password", new AlertChannelChange { Settings = new Dictionary<string, string> { ["url"] = "https://user:pw@hooks.lan/" } } },
        { "too long", new AlertChannelChange { Settings = new Dictionary<string, string> { ["url"] = "https://" + new string('a', 5000) } } },
        { "too long", new AlertChannelChange { Secrets = new Dictionary<string, string> { ["secret"] = new string('s', 5000) } } },
        { "is not an alert channel", new AlertChannelChange { Channel = "pager" } },
        { "Give the alert channel a name", new AlertChannelChange { Name = "  " } },
        { "is not allowed", new AlertChannelChange { Name = "<img src=x onerror=alert(1)>" } },
        { "is not allowed", new AlertChannelChange { Name = new string('n', 300) } },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Update_BadInput_IsRefusedWithTheAddSentence_ChangesNothing_AndIsAudited(string reason, AlertChannelChange change)
    {
        await using var lab = await AlertLab.CreateAsync();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = "https://hooks.lan/" }, new() { ["secret"] = SigningSecret });
        var before = JsonSerializer.Serialize(await lab.Alerts.ListAsync());

        var updated = await lab.Alerts.UpdateAsync("hook", change, AlertLab.Actor);

        Assert.False(updated.IsSuccess);
        Assert.Contains(reason, updated.Error, StringComparison.Ordinal);
        Assert.Equal(before, JsonSerializer.Serialize(await lab.Alerts.ListAsync()));
        var audit = (await lab.AuditAsync())[^1];
        Assert.Equal(("alert.update", "hook", AuditOutcome.Refused), (audit.Action, audit.Target, audit.Outcome));
    }

    [Fact]
    public async Task Update_ToATakenName_OrAMissingChannel_IsRefused()
    {
        await using var lab = await AlertLab.CreateAsync();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = "https://hooks.lan/" }, new() { ["secret"] = SigningSecret });
        await lab.AddAsync("phone", "ntfy", new() { ["server-url"] = "https://ntfy.lan", ["topic"] = "lab" });

        var taken = await lab.Alerts.UpdateAsync("phone", new AlertChannelChange { Name = "Hook" }, AlertLab.Actor);
        var missing = await lab.Alerts.UpdateAsync("pager", new AlertChannelChange { Name = "x" }, AlertLab.Actor);

        Assert.Equal("An alert channel named \"Hook\" already exists; choose another name.", taken.Error);
        Assert.Equal("There is no alert channel \"pager\"; `alert list` shows the channels.", missing.Error);
        Assert.Equal(["hook", "phone"], (await lab.Alerts.ListAsync()).Select(c => c.Name));
    }

    [Fact]
    public async Task List_ShowsWhenEachChannelLastSent_AndTheLatestError()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var receiver = AlertReceiver.Start();
        await lab.AddAsync("hook", "webhook", new() { ["url"] = receiver.Url }, new() { ["secret"] = SigningSecret });
        await lab.AddAsync("quiet", "ntfy", new() { ["server-url"] = receiver.Url, ["topic"] = "lab" });

        var first = await lab.Alerts.SendTestAsync("hook", AlertLab.Actor);
        receiver.Status = 500;
        await lab.Alerts.SendTestAsync("hook", AlertLab.Actor);
        var failing = (await lab.Alerts.ListAsync()).Single(c => c.Name == "hook");
        receiver.Status = 200;
        var last = await lab.Alerts.SendTestAsync("hook", AlertLab.Actor);
        var recovered = (await lab.Alerts.ListAsync()).ToDictionary(c => c.Name);

        Assert.Equal(first.Value.At, failing.LastSentAt);
        Assert.StartsWith("Refused: ", failing.LastError, StringComparison.Ordinal);
        Assert.Equal(last.Value.At, recovered["hook"].LastSentAt);
        Assert.Null(recovered["hook"].LastError);
        Assert.Equal((null, null), (recovered["quiet"].LastSentAt, recovered["quiet"].LastError));
    }
}
