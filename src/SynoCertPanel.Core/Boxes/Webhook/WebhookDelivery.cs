using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SynoCertPanel.Core.Boxes.Webhook;

/// <summary>
/// For every box without a better method: a POST of the PEM bundle as JSON, signed with
/// <c>X-Signature: sha256=HEX(HMAC-SHA256(secret, body))</c> (the form GitHub's webhooks made familiar), so the receiver
/// can refuse anything the panel did not send. The body carries a private key, so plain HTTP is allowed to this machine
/// only; an HTTPS receiver's certificate is pinned on first contact.
/// </summary>
public sealed class WebhookDelivery(TimeProvider time, Func<HttpMessageHandler>? handler = null) : IBoxDelivery
{
    public const string SignatureHeader = "X-Signature";
    private const int MaxAnswerBytes = 64 * 1024;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    public DeliveryKind Kind => DeliveryKind.Webhook;

    public IReadOnlyList<DeliveryOption> Options { get; } =
    [
        new("url", "URL", "Where the bundle is POSTed: https://…, or http:// to this machine only (the body carries the private key).", Required: true, Validate: CheckUrl),
        new("secret", "Signing secret", "Signs each body with HMAC-SHA256 in the X-Signature header; at least 16 characters.", Required: true, Secret: true,
            Validate: v => v.Length < 16 ? "The signing secret must be at least 16 characters." : null),
        new("tls-fingerprint", "Receiver's TLS fingerprint", "SHA-256 of the receiver's HTTPS certificate; learned on first contact, then required.",
            Validate: v => Fingerprint(v) is null ? "The TLS fingerprint must be 64 hexadecimal digits (colons allowed)." : null),
    ];

    public async Task<DeliveryOutcome> TestAsync(DeliveryTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { @event = "test", box = target.BoxName, sentAt = time.GetUtcNow() });
        return await PostAsync(target, body, "test", cancellationToken).ConfigureAwait(false);
    }

    public Task<DeliveryOutcome> DeliverAsync(DeliveryTarget target, DeliveryBundle bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(bundle);
        return PostAsync(target, Body("deploy", target, bundle), "deploy", cancellationToken);
    }

    public async Task<DeliveryOutcome> RestoreAsync(DeliveryTarget target, DeliveryBundle? previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (previous is null)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.Settings,
                "The certificate the receiver had before is not held here, so it cannot be sent back; the receiver keeps what it has.");
        }

        return await PostAsync(target, Body("restore", target, previous), "restore", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The signature a receiver must compare (in constant time) with the header.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private byte[] Body(string kind, DeliveryTarget target, DeliveryBundle bundle) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        @event = kind,
        box = target.BoxName,
        sentAt = time.GetUtcNow(),
        certificateId = bundle.CertificateId,
        description = bundle.Description,
        sha256Fingerprint = bundle.Sha256Fingerprint,
        certificate = bundle.CertificatePem,
        intermediates = bundle.IntermediatesPem,
        fullChain = bundle.FullChainPem,
        root = bundle.RootPem,
        privateKey = bundle.PrivateKeyPem,
    });

    private async Task<DeliveryOutcome> PostAsync(DeliveryTarget target, byte[] body, string kind, CancellationToken cancellationToken)
    {
        var url = new Uri(target.Setting("url")!);
        var secret = target.SecretValue("secret");
        if (secret is null)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.Settings, "The webhook has no signing secret; edit the box and set one.");
        }

        var pinned = target.Setting("tls-fingerprint") is { } text ? Fingerprint(text) : null;
        string? served = null;
        var steps = new List<string> { $"POST {url.GetLeftPart(UriPartial.Path)} ({kind}, {body.Length} bytes, signed)." };
        using var client = new HttpClient(handler?.Invoke() ?? new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(15),
            AllowAutoRedirect = false,
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    served = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
                    // Pinned: exactly that certificate. Not yet pinned: trusted by this machine, or learned now (trust on first use).
                    return pinned is null || string.Equals(pinned, served, StringComparison.Ordinal);
                },
            },
        })
        { Timeout = CallTimeout };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(SignatureHeader, Sign(secret, body));
        var learned = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (pinned is null && served is not null)
            {
                learned["tls-fingerprint"] = served;
                steps.Add($"Pinned the receiver's TLS certificate (SHA-256 {Colons(served)}).");
            }

            var answer = await ReadCappedAsync(response, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"The receiver answered {status} {response.ReasonPhrase}."));
            return status switch
            {
                >= 200 and < 300 => DeliveryOutcome.Success($"The receiver at {url.Authority} accepted the {kind}.", steps, learned),
                401 or 403 => DeliveryOutcome.Failed(DeliveryFailure.Login,
                    $"The receiver at {url.Authority} refused the signature ({status}); check that it uses the same signing secret.", steps, learned),
                >= 300 and < 400 => DeliveryOutcome.Failed(DeliveryFailure.Protocol,
                    $"The receiver at {url.Authority} redirected ({status}); redirects are not followed with a private key in the body. Set the final URL.", steps, learned),
                _ => DeliveryOutcome.Failed(DeliveryFailure.Write,
                    $"The receiver at {url.Authority} answered {status}{(answer.Length > 0 ? $": {Pki.Display.Literal(answer, 200)}" : string.Empty)}.", steps, learned),
            };
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException || (pinned is not null && served is not null && pinned != served))
        {
            return pinned is not null && served is not null && pinned != served
                ? DeliveryOutcome.Failed(DeliveryFailure.Tls,
                    $"The receiver at {url.Authority} now serves another TLS certificate (SHA-256 {Colons(served)}) than the one pinned ({Colons(pinned)}); nothing was sent. If it was replaced on purpose, clear the pinned fingerprint.", steps)
                : DeliveryOutcome.Failed(DeliveryFailure.Tls, $"The TLS handshake with {url.Authority} failed: {e.InnerException?.Message ?? e.Message}", steps);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socket)
        {
            return socket.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain
                ? DeliveryOutcome.Failed(DeliveryFailure.Dns, $"The name {url.Host} does not resolve; check the URL or the LAN's DNS.", steps)
                : DeliveryOutcome.Failed(DeliveryFailure.Connect, $"Nothing answers at {url.Authority} ({socket.Message.TrimEnd('.')}); is the receiver running?", steps);
        }
        catch (HttpRequestException e)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.Protocol, $"The call to {url.Authority} failed: {e.Message}", steps);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.Timeout, $"The receiver at {url.Authority} did not answer within {CallTimeout.TotalSeconds:0} seconds.", steps);
        }
    }

    private static async Task<string> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxAnswerBytes];
        var read = 0;
        int count;
        while (read < buffer.Length && (count = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += count;
        }

        return Encoding.UTF8.GetString(buffer, 0, read).Trim();
    }

    private static string? CheckUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            return $"\"{Pki.Display.Literal(value, 100)}\" is not an http(s) URL.";
        }

        if (url.UserInfo.Length > 0)
        {
            return "Put no account or password in the webhook URL; the body is signed with the signing secret instead.";
        }

        if (url.Scheme == "http" && !url.IsLoopback)
        {
            return "A webhook carries the private key, so plain http:// is allowed to this machine only (localhost); use https:// for another host.";
        }

        return url.Fragment.Length > 0 ? "The webhook URL must not have a #fragment." : null;
    }

    private static string? Fingerprint(string text)
    {
        var hex = text.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    private static string Colons(string hex) => string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
}
