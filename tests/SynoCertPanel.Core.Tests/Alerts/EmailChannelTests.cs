using System.Globalization;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tests.Alerts;

/// <summary>E-mail through MailKit to a real SMTP server (python3-aiosmtpd): plain to loopback, STARTTLS, implicit TLS, logins.</summary>
public sealed class EmailChannelTests
{
    private const string Password = "mail-password-4711";

    private static Dictionary<string, string> Settings(SmtpServer server, string security, string? username = null, bool pin = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1",
            ["port"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["security"] = security,
            ["from"] = "SynoCertPanel <panel@home.arpa>",
            ["to"] = "admin@home.arpa, second@home.arpa",
        };
        if (username is not null)
        {
            settings["username"] = username;
        }

        if (pin && server.Fingerprint is { } fingerprint)
        {
            settings["tls-fingerprint"] = fingerprint;
        }

        return settings;
    }

    [Fact]
    public async Task PlainOnLoopback_TheMessageArrivesWithSubjectSenderRecipientsAndBody()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var server = await SmtpServer.StartAsync();
        await lab.AddAsync("mail", "email", Settings(server, "none"));

        var sent = await lab.Alerts.SendTestAsync("mail", AlertLab.Actor);

        Assert.True(sent.Value.Outcome == AlertSendOutcome.Sent, sent.Value.Error);
        var (message, envelope) = Assert.Single(server.Messages());
        using (message)
        {
            Assert.Equal("SynoCertPanel test message for mail", message.Subject);
            Assert.Equal("panel@home.arpa", Assert.Single(message.From.Mailboxes).Address);
            Assert.Equal(["admin@home.arpa", "second@home.arpa"], message.To.Mailboxes.Select(m => m.Address));
            Assert.Equal(["panel@home.arpa", "admin@home.arpa", "second@home.arpa"], envelope);
            Assert.StartsWith("This is a test sent at ", message.TextBody, StringComparison.Ordinal);
            Assert.Equal("test", message.Headers["X-SynoCertPanel-Event"]);
        }
    }

    [Fact]
    public async Task StartTls_WithPinnedCertificateAndLogin_Arrives()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var server = await SmtpServer.StartAsync("starttls", $"alerts:{Password}");
        await lab.AddAsync("mail", "email", Settings(server, "starttls", "alerts"), new() { ["password"] = Password });

        var sent = await lab.Alerts.SendTestAsync("mail", AlertLab.Actor);

        Assert.True(sent.Value.Outcome == AlertSendOutcome.Sent, sent.Value.Error);
        var (message, _) = Assert.Single(server.Messages());
        using (message)
        {
            Assert.Equal("SynoCertPanel test message for mail", message.Subject);
        }
    }

    [Fact]
    public async Task ImplicitTls_WithPinnedCertificateAndLogin_Arrives()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var server = await SmtpServer.StartAsync("tls", $"alerts:{Password}");
        await lab.AddAsync("mail", "email", Settings(server, "tls", "alerts"), new() { ["password"] = Password });

        var sent = await lab.Alerts.SendTestAsync("mail", AlertLab.Actor);

        Assert.True(sent.Value.Outcome == AlertSendOutcome.Sent, sent.Value.Error);
        Assert.Single(server.Messages()).Message.Dispose();
    }

    [Fact]
    public async Task StartTls_CertificateNotTrustedNorPinned_IsRefusedBeforeAnythingIsSent()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var server = await SmtpServer.StartAsync("starttls");
        await lab.AddAsync("mail", "email", Settings(server, "starttls", pin: false));

        var sent = await lab.Alerts.SendTestAsync("mail", AlertLab.Actor);

        Assert.Equal($"Tls: The SMTP server at 127.0.0.1:{server.Port} serves a TLS certificate this machine does not trust (SHA-256 {server.Fingerprint}); "
            + "trust its CA on this machine, or pin that fingerprint (tls-fingerprint) if it is the right one.", sent.Value.Error);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task StartTls_AnotherCertificateThanPinned_IsRefused()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var server = await SmtpServer.StartAsync("starttls");
        var settings = Settings(server, "starttls");
        settings["tls-fingerprint"] = new string('A', 64);
        await lab.AddAsync("mail", "email", settings);

        var sent = await lab.Alerts.SendTestAsync("mail", AlertLab.Actor);

        Assert.StartsWith($"Tls: The SMTP server at 127.0.0.1:{server.Port} serves another TLS certificate (SHA-256 {server.Fingerprint}) than the one pinned", sent.Value.Error,
            StringComparison.Ordinal);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task WrongPassword_SaysTheLoginWasRefused_WithoutThePassword()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var server = await SmtpServer.StartAsync("starttls", $"alerts:{Password}");
        await lab.AddAsync("mail", "email", Settings(server, "starttls", "alerts"), new() { ["password"] = "not-the-password" });

        var sent = await lab.Alerts.SendTestAsync("mail", AlertLab.Actor);

        Assert.Equal($"Login: The SMTP server at 127.0.0.1:{server.Port} refused the login alerts (wrong login or password).", sent.Value.Error);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task StartTlsAskedOfAPlainServer_SaysItIsNotOffered()
    {
        await using var lab = await AlertLab.CreateAsync();
        await using var server = await SmtpServer.StartAsync();
        await lab.AddAsync("mail", "email", Settings(server, "starttls"));

        var sent = await lab.Alerts.SendTestAsync("mail", AlertLab.Actor);

        Assert.Equal($"Protocol: The SMTP server at 127.0.0.1:{server.Port} does not offer STARTTLS; use security tls for implicit TLS, or another server.", sent.Value.Error);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task ServerDown_SaysNothingAnswers()
    {
        await using var lab = await AlertLab.CreateAsync();
        var port = AlertReceiver.FreePort();
        await lab.AddAsync("mail", "email", new()
        {
            ["host"] = "127.0.0.1",
            ["port"] = port.ToString(CultureInfo.InvariantCulture),
            ["security"] = "none",
            ["from"] = "panel@home.arpa",
            ["to"] = "admin@home.arpa",
        });

        var sent = await lab.Alerts.SendTestAsync("mail", AlertLab.Actor);

        Assert.StartsWith($"Connect: Nothing answers at 127.0.0.1:{port} (", sent.Value.Error, StringComparison.Ordinal);
    }
}
