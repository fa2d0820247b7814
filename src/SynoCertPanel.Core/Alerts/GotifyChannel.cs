using System.Net.Http.Headers;
using System.Text.Json;
using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Core.Alerts;

/// <summary>
/// Gotify: a JSON message (title, message, priority) POSTed to <c>SERVER/message</c> with the application token in the
/// <c>X-Gotify-Key</c> header rather than <c>?token=</c>, so it stays out of proxies' and servers' access logs
/// (gotify.net/docs/pushmsg).
/// </summary>
public sealed class GotifyChannel(TimeSpan timeout) : IAlertChannel
{
    public const string TokenHeader = "X-Gotify-Key";

    public AlertKind Kind => AlertKind.Gotify;

    public IReadOnlyList<DeliveryOption> Options { get; } =
    [
        new("server-url", "Server URL", "The Gotify server, for example https://gotify.home.arpa (a path prefix is kept).", Required: true,
            Validate: v => AlertRules.ServerUrl(v, "Gotify server URL")),
        new("app-token", "Application token", "The token of the Gotify application the messages are sent as.", Required: true, Secret: true,
            Validate: v => v.All(c => c is > ' ' and <= '~') ? null : "The Gotify application token must be printable ASCII without spaces."),
        AlertRules.TlsFingerprint(),
    ];

    public string? CheckTogether(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets) => null;

    public Task<AlertOutcome> SendAsync(AlertTarget target, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        if (target.SecretValue("app-token") is not { } token)
        {
            return Task.FromResult(AlertOutcome.Failed(AlertFailure.Settings, "The Gotify channel has no application token; add the channel again with one."));
        }

        var url = new Uri($"{target.Setting("server-url")!.TrimEnd('/')}/message");
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new { title = message.Subject, message = message.Body, priority = Priority(message.Level) }));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { [TokenHeader] = token };
        return AlertHttp.PostAsync(url, content, headers, target.Setting("tls-fingerprint"), timeout, "Gotify server", "the application token", cancellationToken);
    }

    /// <summary>Gotify's apps: 0 silent, 1–3 a notification, 4–7 with sound, 8–10 the most insistent.</summary>
    public static int Priority(AlertLevel level) => level switch
    {
        AlertLevel.Critical => 8,
        AlertLevel.Warning => 5,
        _ => 2,
    };
}
