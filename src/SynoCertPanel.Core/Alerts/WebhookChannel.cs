using System.Net.Http.Headers;
using System.Text.Json;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Webhook;

namespace SynoCertPanel.Core.Alerts;

/// <summary>
/// A generic webhook: the alert as JSON, signed like the webhook delivery (<c>X-Signature: sha256=HEX(HMAC-SHA256(secret,
/// body))</c>), so a receiver can refuse anything the panel did not send.
/// </summary>
public sealed class WebhookChannel(TimeProvider time, TimeSpan timeout) : IAlertChannel
{
    public AlertKind Kind => AlertKind.Webhook;

    public IReadOnlyList<DeliveryOption> Options { get; } =
    [
        new("url", "URL", "Where the alert is POSTed as JSON: http:// or https://.", Required: true, Validate: v => AlertRules.HttpUrl(v, "webhook URL")),
        new("secret", "Signing secret", "Signs each body with HMAC-SHA256 in the X-Signature header; at least 16 characters.", Required: true, Secret: true,
            Validate: v => v.Length < 16 ? "The signing secret must be at least 16 characters." : null),
        AlertRules.TlsFingerprint(),
    ];

    public string? CheckTogether(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets) => null;

    public Task<AlertOutcome> SendAsync(AlertTarget target, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        if (target.SecretValue("secret") is not { } secret)
        {
            return Task.FromResult(AlertOutcome.Failed(AlertFailure.Settings, "The webhook channel has no signing secret; add the channel again with one."));
        }

        var body = Body(message, time.GetUtcNow());
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { [WebhookDelivery.SignatureHeader] = WebhookDelivery.Sign(secret, body) };
        return AlertHttp.PostAsync(new Uri(target.Setting("url")!), content, headers, target.Setting("tls-fingerprint"), timeout, "webhook receiver",
            "the signature (check that it uses the same signing secret)", cancellationToken);
    }

    /// <summary>The JSON a receiver gets; field names are part of the product's interface.</summary>
    public static byte[] Body(AlertMessage message, DateTimeOffset sentAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = message.Event,
            level = message.Level.ToString().ToLowerInvariant(),
            subject = message.Subject,
            message = message.Body,
            box = message.Box,
            endpoint = message.Endpoint,
            state = message.State,
            previous = message.Previous,
            sentAt,
        });
    }
}
