using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SynoCertPanel.Core.Acme.Validation;

/// <summary>
/// http-01 (RFC 8555 §8.3): GET http://IDENTIFIER:PORT/.well-known/acme-challenge/TOKEN must answer 200 with the key
/// authorization. Names are looked up through <see cref="AcmeResolver"/>; redirects are followed by hand (at most 10, to
/// http on port 80 or the directory's http-01 port and https on 443 only, as Let's Encrypt does, so a challenge cannot
/// make the panel probe other services; certificates on https not checked, as the RFC allows); the body is read to 8 KiB at
/// most and the whole attempt is bounded by a timeout, so a box that never stops answering cannot hold a validation.
/// </summary>
public sealed class Http01Validator(AcmeResolver resolver, TimeSpan timeout) : IChallengeValidator
{
    public const int MaxRedirects = 10;

    public const int MaxBodyBytes = 8 * 1024;

    public string Type => AcmeChallengeTypes.Http01;

    public async Task<AcmeProblem?> ValidateAsync(ChallengeAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = timeout,
            ConnectCallback = ConnectAsync,
            MaxResponseHeadersLength = 16,
#pragma warning disable CA5359 // A redirect to https is followed without checking its certificate, as Let's Encrypt does:
            // http-01 is how a box without a trusted certificate gets its first one (letsencrypt.org/docs/challenge-types).
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
#pragma warning restore CA5359
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var host = attempt.IdentifierType == "ip" && IPAddress.TryParse(attempt.Identifier, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{attempt.Identifier}]"
            : attempt.Identifier;
        var url = new Uri($"http://{host}:{attempt.Port}/.well-known/acme-challenge/{attempt.Token}");
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.UserAgent.ParseAdd("SynoCertPanel-ACME-validation");
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop == MaxRedirects)
                    {
                        return AcmeProblem.Connection($"{attempt.Identifier}: more than {MaxRedirects} redirects from {Shown(url)}; the challenge file must be reachable in a few.");
                    }

                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (next.Scheme is not ("http" or "https"))
                    {
                        return AcmeProblem.Connection($"{attempt.Identifier}: redirected to {Shown(next)}, which is neither http nor https.");
                    }

                    // letsencrypt.org/docs/challenge-types/#http-01-challenge: redirects only to http on 80 and https on 443.
                    if (next.Scheme == "http" ? next.Port != 80 && next.Port != attempt.Port : next.Port != 443)
                    {
                        return AcmeProblem.Connection(
                            $"{attempt.Identifier}: redirected to {Shown(next)}; validation follows redirects only to http on port {attempt.Port}{(attempt.Port == 80 ? "" : " or 80")} and https on port 443.");
                    }

                    url = next;
                    continue;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return AcmeProblem.IncorrectResponse(
                        $"{attempt.Identifier}: {Shown(url)} answered {(int)response.StatusCode} {response.ReasonPhrase}, not 200 with the key authorization. Is the client's web server (or --http-01 port) reachable from the panel on port {attempt.Port}?");
                }

                var body = await ReadBoundedAsync(response, deadline.Token).ConfigureAwait(false);
                if (body is null)
                {
                    return AcmeProblem.IncorrectResponse($"{attempt.Identifier}: {Shown(url)} answered more than {MaxBodyBytes} bytes; the challenge file holds one short line.");
                }

                // RFC 8555 §8.3: trailing white space is ignored.
                return body.TrimEnd(' ', '\t', '\r', '\n') == attempt.KeyAuthorization
                    ? null
                    : AcmeProblem.IncorrectResponse($"{attempt.Identifier}: {Shown(url)} does not hold this challenge's key authorization (it holds \"{Pki.Display.Literal(body.Trim(), 60)}\").");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AcmeProblem.Connection($"{attempt.Identifier}: no complete answer from {Shown(url)} within {timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e) when (e.InnerException is AcmeLookupException lookup)
        {
            return AcmeProblem.Dns(lookup.Message);
        }
        catch (HttpRequestException e)
        {
            return AcmeProblem.Connection($"{attempt.Identifier}: could not fetch {Shown(url)}: {e.Message}");
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await resolver.ResolveAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Count == 0)
        {
            throw new AcmeLookupException($"{context.DnsEndPoint.Host}: no address found. Check its DNS record or add it to the panel's validation resolver (acme resolve).");
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw new HttpRequestException($"connection to {string.Join(", ", addresses)} port {context.DnsEndPoint.Port} failed ({last?.SocketErrorCode})", last);
    }

    private static async Task<string?> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total > MaxBodyBytes ? null : Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    private static string Shown(Uri url) => Pki.Display.Literal(url.GetLeftPart(UriPartial.Path), 120);
}

/// <summary>A name the validation resolver could not find, told apart from a connection failure.</summary>
public sealed class AcmeLookupException : Exception
{
    public AcmeLookupException()
    {
    }

    public AcmeLookupException(string message)
        : base(message)
    {
    }

    public AcmeLookupException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
