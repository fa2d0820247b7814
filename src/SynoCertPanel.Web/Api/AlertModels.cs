using SynoCertPanel.Core.Alerts;

namespace SynoCertPanel.Web.Api;

/// <summary>An alert channel as `alert list` shows it: its settings, which secrets are set (never their values), its last outcome.</summary>
public sealed record AlertChannelItem(int Id, string Name, string Channel, bool Enabled, IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string> SecretsSet, DateTimeOffset CreatedAt, DateTimeOffset? LastSentAt, string? LastError)
{
    internal static AlertChannelItem From(AlertChannelSummary c) =>
        new(c.Id, c.Name, c.Kind, c.Enabled, c.Settings, c.SecretsSet, c.CreatedAt, c.LastSentAt, c.LastError);
}

public sealed record AlertChannelList(IReadOnlyList<AlertChannelItem> Items);

/// <summary>One message sent to one channel (or not): when, about what, and why it did not arrive.</summary>
public sealed record AlertHistoryItem(long Id, DateTimeOffset At, int ChannelId, string Channel, string Event, string Subject, string Outcome, string? Error)
{
    internal static AlertHistoryItem From(AlertHistoryEntry e) =>
        new(e.Id, e.At, e.ChannelId, e.ChannelName, e.Event, e.Subject, e.Outcome.ToString().ToLowerInvariant(), e.Error);
}

public sealed record AlertHistoryList(IReadOnlyList<AlertHistoryItem> Items);

/// <summary>The body of <c>POST /api/v1/alerts</c>: what `alert add` takes.</summary>
public sealed record CreateAlertChannelBody
{
    /// <summary>A name for the channel: letters, digits, spaces, dots, dashes, underscores; unique.</summary>
    public string? Name { get; init; }

    /// <summary>ntfy, gotify, webhook or email.</summary>
    public string? Channel { get; init; }

    /// <summary>The channel's settings by name, as `alert add --NAME value` takes them.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>The channel's secrets (token, signing secret, password): sealed here, never returned.</summary>
    public IReadOnlyDictionary<string, string>? Secrets { get; init; }

    internal AlertChannelDraft ToDraft() => new()
    {
        Name = Name,
        Channel = Channel,
        Settings = Settings ?? new Dictionary<string, string>(),
        Secrets = Secrets ?? new Dictionary<string, string>(),
    };
}

/// <summary>The body of <c>PATCH /api/v1/alerts/{channel}</c>: what `alert edit` takes; what is left out stays.</summary>
public sealed record UpdateAlertChannelBody
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>Another kind of channel; it keeps none of the old one's settings or secrets.</summary>
    public string? Channel { get; init; }

    /// <summary>Settings by name, laid over the stored ones; an empty value drops a setting.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>New secrets by name (sealed, never returned); one left out or empty stays as stored.</summary>
    public IReadOnlyDictionary<string, string>? Secrets { get; init; }

    /// <summary>Send alerts to the channel (true) or stop (false).</summary>
    public bool? Enabled { get; init; }

    internal AlertChannelChange ToChange() => new()
    {
        Name = Name,
        Channel = Channel,
        Settings = Settings ?? new Dictionary<string, string>(),
        Secrets = Secrets ?? new Dictionary<string, string>(),
    };
}

internal static class AlertExamples
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);

    public static AlertChannelItem Item => new(1, "phone", "ntfy", true,
        new Dictionary<string, string> { ["server-url"] = "https://ntfy.home.arpa", ["topic"] = "lab-alerts" }, ["access-token"], At.AddDays(-7), At, null);

    public static AlertChannelList List => new([Item]);

    public static CreateAlertChannelBody Create => new()
    {
        Name = "phone",
        Channel = "ntfy",
        Settings = new Dictionary<string, string> { ["server-url"] = "https://ntfy.home.arpa", ["topic"] = "lab-alerts" },
        Secrets = new Dictionary<string, string> { ["access-token"] = "tk_0123456789abcdefghijklmnopqrs" },
    };

    public static UpdateAlertChannelBody Update => new() { Settings = new Dictionary<string, string> { ["topic"] = "lab-alerts-2" } };

    public static AlertHistoryItem Sent => new(12, At, 1, "phone", "test", "SynoCertPanel test message for phone", "sent", null);

    public static AlertHistoryList History => new([
        new AlertHistoryItem(13, At.AddMinutes(5), 1, "phone", "endpoint", "nas2: nas2.home.arpa:443 is expiring in 14 days", "failed",
            "Connect: Nothing answers at ntfy.home.arpa:443"),
        Sent]);
}
