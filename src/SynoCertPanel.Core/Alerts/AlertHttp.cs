using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Alerts;

/// <summary>
/// The one HTTP POST the ntfy, Gotify and webhook channels make: bounded in time, no redirects followed (a token must not
/// travel to another host), an optional pinned certificate, and every failure told as a sentence.
/// </summary>
internal static class AlertHttp
{
    private const int MaxAnswerBytes = 16 * 1024;

    /// <summary>
    /// POSTs <paramref name="content"/> with <paramref name="headers"/>; <paramref name="what"/> names who is called in the
    /// sentences ("ntfy server"), <paramref name="refusedLogin"/> what a 401 or 403 refused ("the access token").
    /// </summary>
    public static async Task<AlertOutcome> PostAsync(Uri url, HttpContent content, IReadOnlyDictionary<string, string> headers, string? pinnedFingerprint,
        TimeSpan timeout, string what, string refusedLogin, CancellationToken cancellationToken)
    {
        var pinned = pinnedFingerprint is null ? null : AlertRules.Fingerprint(pinnedFingerprint);
        string? served = null;
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = timeout,
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
                    return pinned is null ? errors == SslPolicyErrors.None : string.Equals(pinned, served, StringComparison.Ordinal);
                },
            },
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        var where = $"{what} at {url.Authority}";
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token).ConfigureAwait(false);
            var answer = await ReadCappedAsync(response, bounded.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var said = answer.Length > 0 ? $": {Display.Literal(answer, 200)}" : string.Empty;
            return status switch
            {
                >= 200 and < 300 => AlertOutcome.Success(string.Create(CultureInfo.InvariantCulture, $"The {where} accepted the message ({status}).")),
                401 or 403 => AlertOutcome.Failed(AlertFailure.Login, string.Create(CultureInfo.InvariantCulture, $"The {where} refused {refusedLogin} ({status}{said})")),
                >= 300 and < 400 => AlertOutcome.Failed(AlertFailure.Protocol, string.Create(CultureInfo.InvariantCulture,
                    $"The {where} redirected ({status}) to {Display.Literal(response.Headers.Location?.ToString() ?? "nowhere", 100)}; redirects are not followed, so that no token goes elsewhere. Set the final URL.")),
                _ => AlertOutcome.Failed(AlertFailure.Refused, string.Create(CultureInfo.InvariantCulture,
                    $"The {where} answered {status} {Display.Literal(response.ReasonPhrase ?? string.Empty, 60)}{said}").TrimEnd() + "."),
            };
        }
        catch (HttpRequestException) when (pinned is not null && served is not null && pinned != served)
        {
            return AlertOutcome.Failed(AlertFailure.Tls,
                $"The {where} serves another TLS certificate (SHA-256 {served}) than the one pinned ({pinned}); nothing was sent.");
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            return AlertOutcome.Failed(AlertFailure.Tls, served is null
                ? $"The TLS handshake with the {where} failed: {e.InnerException.Message}"
                : $"The {where} serves a TLS certificate this machine does not trust (SHA-256 {served}); trust its CA on this machine, or pin that fingerprint (tls-fingerprint) if it is the right one.");
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socket)
        {
            return socket.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain
                ? AlertOutcome.Failed(AlertFailure.Dns, $"The name {url.Host} does not resolve; check the {what}'s URL or the LAN's DNS.")
                : AlertOutcome.Failed(AlertFailure.Connect, $"Nothing answers at {url.Authority} ({socket.Message.TrimEnd('.')}); is the {what} running?");
        }
        catch (HttpRequestException e)
        {
            return AlertOutcome.Failed(AlertFailure.Protocol, $"The call to the {where} failed: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AlertOutcome.Failed(AlertFailure.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"The {where} did not answer within {timeout.TotalSeconds:0.#} seconds."));
        }
    }

    /// <summary>
    /// A header value as ASCII: other text as an RFC 2047 encoded word, which ntfy decodes (docs.ntfy.sh/publish, "Message
    /// title"); HTTP headers carry no raw UTF-8 reliably.
    /// </summary>
    public static string HeaderValue(string text)
    {
        var flat = text.Replace('\r', ' ').Replace('\n', ' ');
        return flat.All(c => c is >= ' ' and <= '~') ? flat : $"=?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(flat))}?=";
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
}
