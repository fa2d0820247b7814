namespace SynoCertPanel.Core.Alerts;

/// <summary>Where an alert goes. Stored by name, so the order here may change.</summary>
public enum AlertKind
{
    /// <summary>A POST to an ntfy topic (ntfy.sh or self-hosted).</summary>
    Ntfy,

    /// <summary>A message to a Gotify server, with an application token.</summary>
    Gotify,

    /// <summary>A JSON POST signed with an HMAC, for anything else.</summary>
    Webhook,

    /// <summary>An e-mail through an SMTP server.</summary>
    Email,
}

public static class AlertKinds
{
    /// <summary>The names the CLI, the API and the page use.</summary>
    public static string Name(this AlertKind kind) => kind switch
    {
        AlertKind.Ntfy => "ntfy",
        AlertKind.Gotify => "gotify",
        AlertKind.Webhook => "webhook",
        AlertKind.Email => "email",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static AlertKind? Parse(string? name) =>
        Enum.GetValues<AlertKind>().Cast<AlertKind?>().FirstOrDefault(k => string.Equals(k!.Value.Name(), name?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string Label(this AlertKind kind) => kind switch
    {
        AlertKind.Ntfy => "ntfy",
        AlertKind.Gotify => "Gotify",
        AlertKind.Webhook => "Webhook",
        AlertKind.Email => "E-mail",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
