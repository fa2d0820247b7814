namespace SynoCertPanel.Core.Alerts;

/// <summary>The alert channels this version ships, by kind.</summary>
public sealed class AlertChannels(IEnumerable<IAlertChannel> channels)
{
    /// <summary>Every call to a server gives up after this: an alert must never hold up a probe round or a deploy.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Dictionary<AlertKind, IAlertChannel> _channels = channels.ToDictionary(c => c.Kind);

    public IEnumerable<IAlertChannel> All => _channels.Values.OrderBy(c => c.Kind);

    public static AlertChannels Standard(TimeProvider time, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        var bound = timeout ?? DefaultTimeout;
        return new AlertChannels(
        [
            new NtfyChannel(bound),
            new GotifyChannel(bound),
            new WebhookChannel(time, bound),
            new EmailChannel(bound),
        ]);
    }

    public IAlertChannel? Find(AlertKind kind) => _channels.GetValueOrDefault(kind);
}
