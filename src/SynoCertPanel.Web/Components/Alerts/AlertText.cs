using SynoCertPanel.Core.Alerts;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Components.Alerts;

/// <summary>How the alerts page words a channel and a history entry.</summary>
public static class AlertText
{
    /// <summary>Where the channel's messages go, from its settings: a topic, a server, a URL or the recipients.</summary>
    public static string Target(AlertChannelSummary channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        string? Setting(string name) => channel.Settings.GetValueOrDefault(name);
        return AlertKinds.Parse(channel.Kind) switch
        {
            AlertKind.Ntfy => $"{(Setting("server-url") ?? "https://ntfy.sh").TrimEnd('/')}/{Setting("topic")}",
            AlertKind.Gotify => Setting("server-url") ?? string.Empty,
            AlertKind.Webhook => Setting("url") ?? string.Empty,
            AlertKind.Email => Setting("to") ?? string.Empty,
            _ => string.Empty,
        };
    }

    /// <summary>Parts of a target no longer than this stay on one line; a longer one may break anywhere rather than overflow a phone.</summary>
    public const int UnbrokenPart = 40;

    /// <summary>A URL in parts ending at each slash: a narrow column breaks it after a slash, never inside "lab-1280".</summary>
    public static IReadOnlyList<string> Parts(string target) =>
        System.Text.RegularExpressions.Regex.Split(target ?? string.Empty, "(?<=/)").Where(p => p.Length > 0).ToList();

    public static string Kind(string kind) => AlertKinds.Parse(kind)?.Label() ?? kind;

    public static string Outcome(AlertSendOutcome outcome) => outcome == AlertSendOutcome.Sent ? "Delivered" : "Failed";
}
