using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Core.Alerts;

/// <summary>
/// One way of sending an alert. Each is a small class declaring its options (drawn by the page, taken by the CLI as
/// <c>--NAME</c> or <c>--NAME-file</c> for secrets); sending never throws for what a server can do wrong (down, refused
/// token, 500): it returns a failed <see cref="AlertOutcome"/> with a sentence.
/// </summary>
public interface IAlertChannel
{
    AlertKind Kind { get; }

    /// <summary>The settings this channel needs, in the order the page shows them.</summary>
    IReadOnlyList<DeliveryOption> Options { get; }

    /// <summary>Rules across options (a login needs its password, plain SMTP to this machine only); a sentence, or null.</summary>
    string? CheckTogether(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets);

    Task<AlertOutcome> SendAsync(AlertTarget target, AlertMessage message, CancellationToken cancellationToken);
}

/// <summary>A channel as its sender sees it: its name and the values of its options, secrets already opened.</summary>
public sealed record AlertTarget(
    string ChannelName,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, string> Secrets)
{
    public string? Setting(string name) => Settings.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public string? SecretValue(string name) => Secrets.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
}

/// <summary>Which step of sending failed, so the history says what to fix.</summary>
public enum AlertFailure
{
    /// <summary>The server's name does not resolve.</summary>
    Dns,

    /// <summary>Nothing answers at the address and port.</summary>
    Connect,

    /// <summary>The server did not answer in time.</summary>
    Timeout,

    /// <summary>The TLS handshake failed, or the certificate is not trusted or not the pinned one.</summary>
    Tls,

    /// <summary>The token, signature or login was refused.</summary>
    Login,

    /// <summary>The server answered, but refused the message (4xx, 5xx, a refused recipient).</summary>
    Refused,

    /// <summary>The server answered something the protocol does not allow, or lacks what is needed (no STARTTLS).</summary>
    Protocol,

    /// <summary>The channel's settings are incomplete; nothing was sent.</summary>
    Settings,
}

/// <summary>Whether the channel took the message, with a sentence for the operator (never holding a secret).</summary>
public sealed record AlertOutcome(bool Sent, AlertFailure? Failure, string Message)
{
    public static AlertOutcome Success(string message) => new(true, null, message);

    public static AlertOutcome Failed(AlertFailure failure, string message) => new(false, failure, message);
}
