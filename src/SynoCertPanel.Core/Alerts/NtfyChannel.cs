using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Core.Alerts;

/// <summary>
/// ntfy: the body is the message, POSTed to <c>SERVER/TOPIC</c>, with the Title, Priority (1–5) and Tags headers, and an
/// access token as <c>Authorization: Bearer</c> when the topic is protected (docs.ntfy.sh/publish).
/// </summary>
public sealed partial class NtfyChannel(TimeSpan timeout) : IAlertChannel
{
    public AlertKind Kind => AlertKind.Ntfy;

    public IReadOnlyList<DeliveryOption> Options { get; } =
    [
        new("server-url", "Server URL", "The ntfy server: https://ntfy.sh or a self-hosted one.", Default: "https://ntfy.sh",
            Validate: v => AlertRules.ServerUrl(v, "ntfy server URL")),
        new("topic", "Topic", "The topic the phone subscribes to: up to 64 letters, digits, dashes or underscores.", Required: true,
            Validate: v => TopicPattern().IsMatch(v) ? null : $"The ntfy topic \"{Pki.Display.Literal(v, 70)}\" is not allowed: use 1 to 64 letters, digits, dashes or underscores."),
        new("access-token", "Access token", "An access token (tk_…) for a protected topic; sent as a Bearer token.", Secret: true,
            Validate: v => v.All(c => c is > ' ' and <= '~') ? null : "The ntfy access token must be printable ASCII without spaces."),
        AlertRules.TlsFingerprint(),
    ];

    public string? CheckTogether(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets) => null;

    public Task<AlertOutcome> SendAsync(AlertTarget target, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        var url = new Uri($"{(target.Setting("server-url") ?? "https://ntfy.sh").TrimEnd('/')}/{target.Setting("topic")}");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Title"] = AlertHttp.HeaderValue(message.Subject),
            ["Priority"] = Priority(message.Level).ToString(CultureInfo.InvariantCulture),
            ["Tags"] = Tags(message),
        };
        if (target.SecretValue("access-token") is { } token)
        {
            headers["Authorization"] = $"Bearer {token}";
        }

        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(message.Body));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        return AlertHttp.PostAsync(url, content, headers, target.Setting("tls-fingerprint"), timeout, "ntfy server", "the access token", cancellationToken);
    }

    /// <summary>ntfy's scale: 1 min, 3 default, 4 high, 5 urgent (docs.ntfy.sh/publish/#message-priority).</summary>
    public static int Priority(AlertLevel level) => level switch
    {
        AlertLevel.Critical => 5,
        AlertLevel.Warning => 4,
        _ => 3,
    };

    /// <summary>Tags that match an emoji short code show as that emoji (rotating_light, warning, white_check_mark).</summary>
    public static string Tags(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var emoji = message.Level switch
        {
            AlertLevel.Critical => "rotating_light",
            AlertLevel.Warning => "warning",
            _ => message.Event == AlertMessage.TestEvent ? "test_tube" : "white_check_mark",
        };
        return $"{emoji},synocertpanel,{message.Event}";
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex TopicPattern();
}
