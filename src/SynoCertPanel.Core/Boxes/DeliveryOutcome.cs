namespace SynoCertPanel.Core.Boxes;

/// <summary>Which step of a delivery failed, so "Test connection" and the history say exactly what to fix.</summary>
public enum DeliveryFailure
{
    /// <summary>The box's name does not resolve.</summary>
    Dns,

    /// <summary>Nothing answers at the address and port (refused, unreachable).</summary>
    Connect,

    /// <summary>The box did not answer in time.</summary>
    Timeout,

    /// <summary>The TLS handshake failed, or the box's certificate does not match the pinned fingerprint or the home CA.</summary>
    Tls,

    /// <summary>The SSH host key differs from the one pinned on first contact.</summary>
    HostKey,

    /// <summary>The account, password, key or token was refused.</summary>
    Login,

    /// <summary>The box wants a second factor (a one-time code).</summary>
    SecondFactor,

    /// <summary>Logged in, but the account may not change certificates (DSM 105, HTTP 403, permission denied on a path).</summary>
    Permission,

    /// <summary>Writing or uploading the certificate failed (disk full, refused by the box).</summary>
    Write,

    /// <summary>The certificate is in place but the service did not reload (broken configuration, failed command).</summary>
    Reload,

    /// <summary>The box answered something the protocol does not allow.</summary>
    Protocol,

    /// <summary>The settings are incomplete or wrong before anything was sent.</summary>
    Settings,
}

/// <summary>
/// The result of a delivery method's call: success, or the failed step with a sentence for the operator. <see cref="Steps"/>
/// is the readable log of what was done (shown in the box's history; never holds a secret). <see cref="Learned"/>
/// carries settings first contact taught (option name → value; the option says whether it is secret).
/// </summary>
public sealed record DeliveryOutcome(
    bool Succeeded,
    DeliveryFailure? Failure,
    string Message,
    IReadOnlyList<string> Steps,
    IReadOnlyDictionary<string, string> Learned)
{
    public static DeliveryOutcome Success(string message, IReadOnlyList<string>? steps = null, IReadOnlyDictionary<string, string>? learned = null) =>
        new(true, null, message, steps ?? [], learned ?? new Dictionary<string, string>());

    public static DeliveryOutcome Failed(DeliveryFailure failure, string message, IReadOnlyList<string>? steps = null, IReadOnlyDictionary<string, string>? learned = null) =>
        new(false, failure, message, steps ?? [], learned ?? new Dictionary<string, string>());
}
