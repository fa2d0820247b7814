using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace SynoCertPanel.Core.Boxes;

/// <summary>How long a box may take and how much it may answer; tests shorten the times.</summary>
internal sealed record BoxTlsLimits(TimeSpan Connect, TimeSpan Call, int MaxAnswerBytes)
{
    /// <summary>15 s to connect, 60 s per call: a NAS waking its disks answers within seconds; an answer is a few KiB of JSON.</summary>
    public static BoxTlsLimits Standard { get; } = new(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60), 1024 * 1024);
}

/// <summary>A failed step: which kind, and the sentence for the operator (never holding a secret).</summary>
internal sealed record BoxProblem(DeliveryFailure Failure, string Sentence);

/// <summary>What a box answered: its status, and its body parsed as JSON when it was JSON.</summary>
internal sealed record BoxAnswer(HttpStatusCode Status, string? Reason, JsonElement? Json)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>The result of one call: the answer, or the problem that stopped it.</summary>
internal sealed record BoxCall(BoxAnswer? Answer, BoxProblem? Problem);

/// <summary>
/// One HTTPS client for one delivery call, trusting the box by <see cref="BoxTlsTrust"/>, with connect and call timeouts,
/// no redirects and a cap on the answer; a failure comes back as DNS, Connect, Timeout, TLS or Protocol with a sentence.
/// </summary>
internal sealed class BoxTlsClient : IDisposable
{
    private readonly HttpClient _client;
    private readonly BoxTlsLimits _limits;
    private readonly TimeProvider _time;

    public BoxTlsClient(Uri baseUrl, BoxTlsTrust trust, BoxTlsLimits limits, TimeProvider time)
    {
        Trust = trust;
        _limits = limits;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = limits.Connect,
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => trust.Check(certificate, chain, errors) },
        };
        _client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("SynoCertPanel", "1"));
    }

    public BoxTlsTrust Trust { get; }

    public string Host => Trust.Host;

    public async Task<BoxCall> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var call = new CancellationTokenSource(_limits.Call, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(call.Token, cancellationToken);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                return Fail(DeliveryFailure.Protocol, $"The box at {Host} answered {what} with a redirect ({(int)response.StatusCode}) instead of answering; check the URL and its port.");
            }

            var body = await ReadCappedAsync(response, linked.Token).ConfigureAwait(false);
            if (body is null)
            {
                return Fail(DeliveryFailure.Protocol, $"The box at {Host} answered {what} with more than {_limits.MaxAnswerBytes / 1024} KiB; that is not the API this method speaks. Check the URL.");
            }

            return new BoxCall(new BoxAnswer(response.StatusCode, response.ReasonPhrase, ParseJson(body)), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(DeliveryFailure.Timeout, $"The box at {Host} did not answer {what} within {Seconds(call.IsCancellationRequested ? _limits.Call : _limits.Connect)} seconds; check that it is up and that the port is its web interface.");
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new BoxCall(null, Classify(e, what));
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(DeliveryFailure.Protocol, $"The box at {Host} closed the connection in the middle of its answer to {what}.");
        }
    }

    private BoxProblem Classify(HttpRequestException e, string what)
    {
        var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        if (e.InnerException is TimeoutException)
        {
            return new BoxProblem(DeliveryFailure.Timeout, $"The box at {Host} did not accept a connection within {Seconds(_limits.Connect)} seconds; check that it is up.");
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError =>
                new BoxProblem(DeliveryFailure.Dns, $"The name in {Host} does not resolve; check its spelling and the panel's DNS server, or use the box's IP address."),
            HttpRequestError.SecureConnectionError => new BoxProblem(DeliveryFailure.Tls, Trust.Refusal
                ?? $"The TLS handshake with {Host} failed ({Pki.Display.Literal(e.InnerException?.Message ?? e.Message, 160)}); check that the port is the box's HTTPS port."),
            HttpRequestError.ConnectionError when socket?.SocketErrorCode is SocketError.TimedOut =>
                new BoxProblem(DeliveryFailure.Timeout, $"The box at {Host} did not accept a connection in time; check that it is up."),
            HttpRequestError.ConnectionError => new BoxProblem(DeliveryFailure.Connect,
                $"Nothing accepts connections at {Host}{(socket is null ? string.Empty : $" ({Reason(socket.SocketErrorCode)})")}; check that the box is up and that the port is its HTTPS port."),
            _ => new BoxProblem(DeliveryFailure.Protocol, $"The box at {Host} did not answer {what} as HTTPS should ({e.HttpRequestError}); check that the port is its web interface."),
        };
    }

    private async Task<byte[]?> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > _limits.MaxAnswerBytes)
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _limits.MaxAnswerBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static JsonElement? ParseJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Reason(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.ConnectionReset => "connection reset",
        _ => error.ToString(),
    };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    private static BoxCall Fail(DeliveryFailure failure, string sentence) => new(null, new BoxProblem(failure, sentence));

    public void Dispose() => _client.Dispose();
}
