using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Alerts;

/// <summary>
/// E-mail through an SMTP server with MailKit: STARTTLS (port 587), implicit TLS (465), or no TLS to this machine only
/// (a local relay), with an optional login. The server's certificate is trusted by the system or pinned by fingerprint.
/// </summary>
public sealed class EmailChannel(TimeSpan timeout) : IAlertChannel
{
    public const int MaxRecipients = 20;

    public AlertKind Kind => AlertKind.Email;

    public IReadOnlyList<DeliveryOption> Options { get; } =
    [
        new("host", "SMTP server", "The SMTP server's DNS name or IP address.", Required: true, Validate: CheckHost),
        new("port", "Port", "The SMTP port: 587 for STARTTLS, 465 for implicit TLS, 25 for a local relay (default by security).", Validate: CheckPort),
        new("security", "Security", "starttls (default), tls (implicit TLS), or none (only to this machine).", Default: "starttls",
            Validate: v => v is "starttls" or "tls" or "none" ? null : $"The SMTP security \"{Display.Literal(v, 30)}\" is not one of starttls, tls, none."),
        new("username", "Login", "The account to log in as, when the server wants a login.", Validate: v => v.Any(char.IsControl) ? "The SMTP login must be one line." : null),
        new("password", "Password", "The password of the login.", Secret: true),
        new("from", "From", "The sender address, for example panel@home.arpa or \"SynoCertPanel <panel@home.arpa>\".", Required: true,
            Validate: v => Addresses(v, "sender") is { IsSuccess: false } bad ? bad.Error : null),
        new("to", "To", $"The recipients, separated by commas (at most {MaxRecipients}).", Required: true,
            Validate: v => Addresses(v, "recipient") is { IsSuccess: false } bad ? bad.Error : null),
        AlertRules.TlsFingerprint(),
    ];

    public string? CheckTogether(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(secrets);
        if (settings.GetValueOrDefault("security") == "none" && settings.TryGetValue("host", out var host) && !IsLoopback(host))
        {
            return $"Mail without TLS is allowed to this machine only (localhost, 127.0.0.1, ::1); {Display.Literal(host, 80)} needs starttls or tls.";
        }

        if (Addresses(settings.GetValueOrDefault("from") ?? string.Empty, "sender") is { IsSuccess: true, Value.Count: > 1 })
        {
            return "Give one sender address (--from).";
        }

        return settings.ContainsKey("username") != secrets.ContainsKey("password")
            ? settings.ContainsKey("username")
                ? "A login needs its password: give it from a file (--password-file)."
                : "A password needs its login (--username)."
            : null;
    }

    public async Task<AlertOutcome> SendAsync(AlertTarget target, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        var host = target.Setting("host")!;
        var security = target.Setting("security") ?? "starttls";
        var port = target.Setting("port") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : DefaultPort(security);
        var pinned = target.Setting("tls-fingerprint") is { } pin ? AlertRules.Fingerprint(pin) : null;
        var mail = new MimeMessage();
        mail.From.AddRange(Addresses(target.Setting("from")!, "sender").Value);
        mail.To.AddRange(Addresses(target.Setting("to")!, "recipient").Value);
        mail.Subject = message.Subject;
        mail.Headers.Add("X-SynoCertPanel-Event", message.Event);
        if (message.Level == AlertLevel.Critical)
        {
            mail.Priority = MessagePriority.Urgent;
        }

        mail.Body = new TextPart("plain") { Text = message.Body };
        var where = string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
        string? served = null;
        using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null)
            {
                return false;
            }

            served = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
            return pinned is null ? errors == SslPolicyErrors.None : string.Equals(pinned, served, StringComparison.Ordinal);
        };
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        var step = "connect";
        try
        {
            await client.ConnectAsync(host, port, security switch
            {
                "tls" => SecureSocketOptions.SslOnConnect,
                "none" => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            }, bounded.Token).ConfigureAwait(false);
            if (target.Setting("username") is { } username)
            {
                step = "login";
                await client.AuthenticateAsync(username, target.SecretValue("password") ?? string.Empty, bounded.Token).ConfigureAwait(false);
            }

            step = "send";
            await client.SendAsync(mail, bounded.Token).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, bounded.Token).ConfigureAwait(false);
            return AlertOutcome.Success($"The SMTP server at {where} accepted the message for {string.Join(", ", mail.To.Mailboxes.Select(m => m.Address))}.");
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain
                ? AlertOutcome.Failed(AlertFailure.Dns, $"The name {host} does not resolve; check the SMTP server's name or the LAN's DNS.")
                : AlertOutcome.Failed(AlertFailure.Connect, $"Nothing answers at {where} ({e.Message.TrimEnd('.')}); is the SMTP server running, and is the port right?");
        }
        catch (SslHandshakeException)
        {
            return AlertOutcome.Failed(AlertFailure.Tls, served is null
                ? $"The TLS handshake with the SMTP server at {where} failed{(security == "tls" ? "; does the port speak implicit TLS (465), or should security be starttls?" : ".")}"
                : pinned is not null
                    ? $"The SMTP server at {where} serves another TLS certificate (SHA-256 {served}) than the one pinned ({pinned}); nothing was sent."
                    : $"The SMTP server at {where} serves a TLS certificate this machine does not trust (SHA-256 {served}); trust its CA on this machine, or pin that fingerprint (tls-fingerprint) if it is the right one.");
        }
        catch (MailKit.Security.AuthenticationException)
        {
            return AlertOutcome.Failed(AlertFailure.Login, $"The SMTP server at {where} refused the login {target.Setting("username")} (wrong login or password).");
        }
        catch (NotSupportedException) when (step == "connect")
        {
            return AlertOutcome.Failed(AlertFailure.Protocol, $"The SMTP server at {where} does not offer STARTTLS; use security tls for implicit TLS, or another server.");
        }
        catch (NotSupportedException) when (step == "login")
        {
            return AlertOutcome.Failed(AlertFailure.Protocol, $"The SMTP server at {where} offers no login (at least not on this connection); remove the login, or use TLS.");
        }
        catch (SmtpCommandException e)
        {
            var who = e.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted => $"the recipient {e.Mailbox?.Address}",
                SmtpErrorCode.SenderNotAccepted => $"the sender {e.Mailbox?.Address}",
                _ => "the message",
            };
            return AlertOutcome.Failed(AlertFailure.Refused,
                string.Create(CultureInfo.InvariantCulture, $"The SMTP server at {where} refused {who} ({(int)e.StatusCode}: {Display.Literal(e.Message, 200)})"));
        }
        catch (SmtpProtocolException e)
        {
            return AlertOutcome.Failed(AlertFailure.Protocol, $"The SMTP server at {where} broke the protocol during {step}: {Display.Literal(e.Message, 200)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut(where, step);
        }
        catch (TimeoutException)
        {
            return TimedOut(where, step);
        }
        catch (IOException e)
        {
            return AlertOutcome.Failed(AlertFailure.Connect, $"The connection to the SMTP server at {where} broke during {step}: {Display.Literal(e.Message, 200)}");
        }
    }

    private AlertOutcome TimedOut(string where, string step) => AlertOutcome.Failed(AlertFailure.Timeout,
        string.Create(CultureInfo.InvariantCulture, $"The SMTP server at {where} did not answer within {timeout.TotalSeconds:0.#} seconds (at {step})."));

    public static int DefaultPort(string security) => security switch
    {
        "tls" => 465,
        "none" => 25,
        _ => 587,
    };

    /// <summary>Addresses separated by commas, each a full address (name@domain), at most <see cref="MaxRecipients"/>.</summary>
    public static Result<IReadOnlyList<MailboxAddress>> Addresses(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return Result.Failure<IReadOnlyList<MailboxAddress>>($"Give at least one {what} address.");
        }

        if (parts.Length > MaxRecipients)
        {
            return Result.Failure<IReadOnlyList<MailboxAddress>>($"At most {MaxRecipients} {what} addresses; {parts.Length} were given.");
        }

        var parsed = new List<MailboxAddress>();
        foreach (var part in parts)
        {
            // MimeKit accepts a bare local part ("admin"); a message leaving this machine needs the domain too.
            if (!MailboxAddress.TryParse(ParserOptions.Default, part, out var mailbox) || mailbox.Address.Count(c => c == '@') != 1
                || mailbox.LocalPart.Length == 0 || mailbox.Domain.Length == 0 || mailbox.Address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                return Result.Failure<IReadOnlyList<MailboxAddress>>(
                    $"\"{Display.Literal(part, 100)}\" is not an e-mail address; write the {what} as name@domain (for example admin@home.arpa).");
            }

            parsed.Add(mailbox);
        }

        return Result.Success<IReadOnlyList<MailboxAddress>>(parsed);
    }

    private static string? CheckHost(string value)
    {
        var host = value.Trim('[', ']');
        return IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns
            ? null
            : $"\"{Display.Literal(value, 100)}\" is not a DNS name or an IP address of an SMTP server.";
    }

    private static string? CheckPort(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? null
            : $"The SMTP port \"{Display.Literal(value, 20)}\" must be a number from 1 to 65535.";

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
