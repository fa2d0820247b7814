using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Alerts;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tests.Alerts;

/// <summary>Bad channel options are refused with a sentence before anything is stored; the refusal is audited.</summary>
public sealed class AlertOptionTests
{
    private const string Secret = "webhook-secret-0123456789";

    public static TheoryData<string, string, string, string, string> Refused => new()
    {
        // name, channel, settings (k=v;k=v), secrets (k=v), expected sentence part
        { "url-not-http", "webhook", "url=ftp://hooks.home.arpa/x", $"secret={Secret}", "\"ftp://hooks.home.arpa/x\" is not an http:// or https:// URL" },
        { "url-relative", "webhook", "url=/hooks/x", $"secret={Secret}", "is not an http:// or https:// URL" },
        { "url-with-account", "webhook", "url=https://user:pw@hooks.home.arpa/x", $"secret={Secret}", "Put no account or password in the webhook URL" },
        { "short-secret", "webhook", "url=https://hooks.home.arpa/x", "secret=short", "The signing secret must be at least 16 characters." },
        { "secret-as-setting", "webhook", $"url=https://hooks.home.arpa/x;secret={Secret}", string.Empty, "The signing secret is a secret: give it from a file (--secret-file)" },
        { "ntfy-file-url", "ntfy", "server-url=file:///etc/passwd;topic=lab", string.Empty, "is not an http:// or https:// URL" },
        { "ntfy-query", "ntfy", "server-url=https://ntfy.home.arpa/?x=1;topic=lab", string.Empty, "must not have a ?query" },
        { "ntfy-bad-topic", "ntfy", "topic=lab alerts!", string.Empty, "The ntfy topic \"lab alerts!\" is not allowed" },
        { "ntfy-no-topic", "ntfy", string.Empty, string.Empty, "A ntfy channel needs the topic (--topic)" },
        { "gotify-no-token", "gotify", "server-url=https://gotify.home.arpa", string.Empty, "needs the application token (--app-token-file)" },
        { "unknown-option", "gotify", "server-url=https://gotify.home.arpa;topic=x", "app-token=abc", "A Gotify channel has no option \"topic\"" },
        { "mail-bad-to", "email", "host=smtp.home.arpa;from=panel@home.arpa;to=admin", string.Empty, "\"admin\" is not an e-mail address" },
        { "mail-bad-to-second", "email", "host=smtp.home.arpa;from=panel@home.arpa;to=admin@home.arpa, @home.arpa", string.Empty, "\"@home.arpa\" is not an e-mail address" },
        { "mail-bad-from", "email", "host=smtp.home.arpa;from=panel at home;to=admin@home.arpa", string.Empty, "\"panel at home\" is not an e-mail address" },
        { "mail-two-from", "email", "host=smtp.home.arpa;from=a@home.arpa, b@home.arpa;to=admin@home.arpa", string.Empty, "Give one sender address (--from)." },
        { "mail-port-high", "email", "host=smtp.home.arpa;port=70000;from=panel@home.arpa;to=admin@home.arpa", string.Empty, "The SMTP port \"70000\" must be a number from 1 to 65535." },
        { "mail-port-zero", "email", "host=smtp.home.arpa;port=0;from=panel@home.arpa;to=admin@home.arpa", string.Empty, "The SMTP port \"0\" must be a number from 1 to 65535." },
        { "mail-port-text", "email", "host=smtp.home.arpa;port=smtp;from=panel@home.arpa;to=admin@home.arpa", string.Empty, "must be a number from 1 to 65535" },
        { "mail-bad-host", "email", "host=smtp home;from=panel@home.arpa;to=admin@home.arpa", string.Empty, "\"smtp home\" is not a DNS name or an IP address" },
        { "mail-plain-remote", "email", "host=smtp.home.arpa;security=none;from=panel@home.arpa;to=admin@home.arpa", string.Empty, "Mail without TLS is allowed to this machine only" },
        { "mail-bad-security", "email", "host=smtp.home.arpa;security=ssl;from=panel@home.arpa;to=admin@home.arpa", string.Empty, "The SMTP security \"ssl\" is not one of starttls, tls, none." },
        { "mail-login-no-password", "email", "host=smtp.home.arpa;username=alerts;from=panel@home.arpa;to=admin@home.arpa", string.Empty, "A login needs its password" },
        { "mail-password-no-login", "email", "host=smtp.home.arpa;from=panel@home.arpa;to=admin@home.arpa", "password=pw", "A password needs its login (--username)." },
        { "bad-fingerprint", "gotify", "server-url=https://gotify.home.arpa;tls-fingerprint=abc", "app-token=abc", "The TLS fingerprint must be 64 hexadecimal digits" },
        { "unknown-kind", "slack", string.Empty, string.Empty, "\"slack\" is not an alert channel; choose one of ntfy, gotify, webhook, email." },
    };

    private static Dictionary<string, string> Pairs(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Add_BadOptions_RefusedWithASentence_NothingStored(string name, string channel, string settings, string secrets, string expected)
    {
        await using var lab = await AlertLab.CreateAsync();

        var added = await lab.Alerts.AddAsync(new AlertChannelDraft { Name = name, Channel = channel, Settings = Pairs(settings), Secrets = Pairs(secrets) }, AlertLab.Actor);

        Assert.False(added.IsSuccess);
        Assert.Contains(expected, added.Error, StringComparison.Ordinal);
        Assert.Empty(await lab.Alerts.ListAsync());
        var audit = Assert.Single(await lab.AuditAsync());
        Assert.Equal(("alert.add", name, AuditOutcome.Refused), (audit.Action, audit.Target, audit.Outcome));
    }

    [Theory]
    [InlineData("", "Give the alert channel a name")]
    [InlineData("<phone>", "The alert channel name \"<phone>\" is not allowed")]
    [InlineData("-phone", "is not allowed")]
    public async Task Add_BadName_Refused(string name, string expected)
    {
        await using var lab = await AlertLab.CreateAsync();

        var added = await lab.Alerts.AddAsync(new AlertChannelDraft { Name = name, Channel = "ntfy", Settings = new Dictionary<string, string> { ["topic"] = "lab" } }, AlertLab.Actor);

        Assert.Contains(expected, added.Error, StringComparison.Ordinal);
        Assert.Empty(await lab.Alerts.ListAsync());
    }

    [Fact]
    public async Task Add_SameNameInAnotherCase_Refused()
    {
        await using var lab = await AlertLab.CreateAsync();
        await lab.AddAsync("phone", "ntfy", new() { ["topic"] = "lab" });

        var again = await lab.Alerts.AddAsync(new AlertChannelDraft { Name = "PHONE", Channel = "ntfy", Settings = new Dictionary<string, string> { ["topic"] = "other" } }, AlertLab.Actor);

        Assert.Equal("An alert channel named \"PHONE\" already exists; choose another name, or delete that one first.", again.Error);
        await using var db = lab.Panel.Storage.CreateContext();
        Assert.Equal(1, await db.AlertChannels.CountAsync());
    }

    [Fact]
    public async Task Add_DefaultsAreFilledWhenSending_NotStored()
    {
        await using var lab = await AlertLab.CreateAsync();

        var added = await lab.AddAsync("phone", "ntfy", new() { ["topic"] = "lab" });

        Assert.Equal(new Dictionary<string, string> { ["topic"] = "lab" }, added.Settings);
        Assert.Equal("ntfy", added.Kind);
        Assert.True(added.Enabled);
        Assert.Empty(added.SecretsSet);
    }
}
