using System.Text;
using System.Text.Json;
using SynoCertPanel.Core.Security;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Alerts;

/// <summary>
/// An alert channel as the page, the CLI and the API show it: never a secret, only which secrets are set. <see cref="Kind"/>
/// is the stored <see cref="AlertKind"/> name (ntfy, gotify, webhook, email).
/// </summary>
public sealed record AlertChannelSummary(
    int Id,
    string Name,
    string Kind,
    bool Enabled,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string> SecretsSet,
    DateTimeOffset CreatedAt)
{
    /// <summary>When a message last reached the channel; null before the first.</summary>
    public DateTimeOffset? LastSentAt { get; init; }

    /// <summary>Why the latest message did not arrive; null when it did (or none was sent yet).</summary>
    public string? LastError { get; init; }
}

/// <summary>What the operator gives when adding a channel.</summary>
public sealed record AlertChannelDraft
{
    public string? Name { get; init; }

    /// <summary>An <see cref="AlertKind"/> name: ntfy, gotify, webhook, email.</summary>
    public string? Channel { get; init; }

    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
}

/// <summary>What an edit changes; null keeps the stored value.</summary>
public sealed record AlertChannelChange
{
    public string? Name { get; init; }

    /// <summary>Another kind keeps none of the old one's settings or secrets: give all it requires.</summary>
    public string? Channel { get; init; }

    /// <summary>Settings by name, laid over the stored ones; an empty value drops the setting (its default applies again).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>New secrets by name; an empty value keeps the stored one.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
}

/// <summary>One message sent (or not) to one channel, as the history shows it.</summary>
public sealed record AlertHistoryEntry(
    long Id,
    DateTimeOffset At,
    int ChannelId,
    string ChannelName,
    string Event,
    string Subject,
    AlertSendOutcome Outcome,
    string? Error);

internal static class AlertRecords
{
    public static string Purpose(int channelId) => $"alert:{channelId}";

    public static byte[]? Seal(KeyProtector protector, int channelId, IReadOnlyDictionary<string, string> secrets) =>
        secrets.Count == 0 ? null : protector.Seal(JsonSerializer.SerializeToUtf8Bytes(secrets), Purpose(channelId));

    /// <summary>The opened secrets; null when the blob no longer opens (another key-encryption key, or altered).</summary>
    public static Dictionary<string, string>? Open(KeyProtector protector, AlertChannelRecord channel)
    {
        if (channel.SealedSecrets is null)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var plain = protector.Open(channel.SealedSecrets, Purpose(channel.Id));
        return plain is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(Encoding.UTF8.GetString(plain));
    }

    public static Dictionary<string, string> Settings(AlertChannelRecord channel) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(channel.Settings) ?? new Dictionary<string, string>(StringComparer.Ordinal);

    public static AlertChannelSummary Summary(AlertChannelRecord channel, IReadOnlyList<string> secretsSet) => new(
        channel.Id,
        channel.Name,
        channel.Kind,
        channel.Enabled,
        Settings(channel),
        secretsSet,
        channel.CreatedAt);

    public static AlertHistoryEntry Entry(AlertHistoryRecord row) =>
        new(row.Id, row.At, row.ChannelId, row.ChannelName, row.Event, row.Subject, row.Outcome, row.Error);
}
