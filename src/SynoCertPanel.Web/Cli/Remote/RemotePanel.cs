using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>
/// The panel at --server, called over /api/v1 with the token. Every answer is a value or one sentence for the person:
/// the problem document's own sentence when the panel refuses, or what went wrong on the way (name, connection, TLS,
/// timeout, an answer that is not the API's). Uses .NET's HTTP client and JSON only, so a remote call loads neither
/// EF Core nor BouncyCastle.
/// </summary>
internal sealed class RemotePanel : IDisposable
{
    /// <summary>A page of 500 rows is about 250 KB and an export a few KiB; a far larger answer is not the panel's, and is not read to the end.</summary>
    public const int MaxAnswerBytes = 8 * 1024 * 1024;

    private const string JsonType = "application/json";

    private readonly HttpClient _client;
    private readonly ServerTrust _trust;
    private readonly string _token;
    private readonly TimeSpan _timeout;

    private RemotePanel(RemoteSettings settings, string token, ServerTrust trust)
    {
        Server = settings.Server;
        _token = token;
        _trust = trust;
        _timeout = settings.Timeout;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = settings.Timeout,
            SslOptions = { RemoteCertificateValidationCallback = trust.Validate, CertificateChainPolicy = trust.ChainPolicy() },
        };
        _client = new HttpClient(handler) { BaseAddress = settings.Server, Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("synocertpanel",
            typeof(RemotePanel).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    public Uri Server { get; }

    /// <summary>host:port, as the messages name the server.</summary>
    public string Authority => Server.Authority;

    public static Result<RemotePanel> Open(RemoteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var token = TokenFile.Read(settings.TokenFile);
        if (!token.IsSuccess)
        {
            return Result.Failure<RemotePanel>(token.Error!);
        }

        X509Certificate2Collection? anchors = null;
        if (settings.CaCertificateFile is { } file)
        {
            var loaded = ServerTrust.LoadAnchors(file);
            if (!loaded.IsSuccess)
            {
                return Result.Failure<RemotePanel>(loaded.Error!);
            }

            anchors = loaded.Value;
        }

        var authority = settings.Server.Authority;
        return Result.Success(new RemotePanel(settings, token.Value, new ServerTrust(authority, settings.Fingerprint, anchors, settings.CaCertificateFile)));
    }

    public Task<Result<T>> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, JsonType, ReadJson<T>, cancellationToken);

    public Task<Result<T>> PostAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, JsonContent(body), JsonType, ReadJson<T>, cancellationToken);

    public Task<Result<T>> DeleteAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, JsonType, ReadJson<T>, cancellationToken);

    /// <summary>
    /// Sends files as multipart/form-data, as a browser sends a form's file fields; the answer is JSON. The caller has
    /// checked the sizes against the call's own caps: the panel would read an oversized body only to refuse it.
    /// </summary>
    public Task<Result<T>> UploadAsync<T>(string path, IReadOnlyList<UploadPart> parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var content = new MultipartFormDataContent();
        foreach (var part in parts)
        {
            if (part.FileName is { } fileName)
            {
                var file = new ReadOnlyMemoryContent(part.Content);
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Add(file, part.Name, fileName);
            }
            else
            {
                content.Add(new ReadOnlyMemoryContent(part.Content), part.Name);
            }
        }

        return SendAsync(HttpMethod.Post, path, content, JsonType, ReadJson<T>, cancellationToken);
    }

    /// <summary>A file the panel makes (GET), its bytes when the answer has <paramref name="mediaType"/>; at most <see cref="MaxAnswerBytes"/>.</summary>
    public Task<Result<byte[]>> DownloadAsync(string path, string mediaType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, mediaType, ReadFile, cancellationToken);

    /// <summary>As <see cref="DownloadAsync(string, string, CancellationToken)"/>, asked for with a JSON body (POST): what must not go in a URL goes there.</summary>
    public Task<Result<byte[]>> DownloadAsync(string path, object body, string mediaType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, JsonContent(body), mediaType, ReadFile, cancellationToken);

    public void Dispose() => _client.Dispose();

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, body.GetType(), RemoteJson.Default), Encoding.UTF8, JsonType);

    private async Task<Result<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, string accept,
        Func<byte[], string, Result<T>> read, CancellationToken cancellationToken)
    {
        var target = new Uri(Api.ApiExtensions.Prefix + path, UriKind.Relative);
        using var request = new HttpRequestMessage(method, target) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        if (accept != JsonType)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadAsync(response, timeout.Token).ConfigureAwait(false);
            return body is null
                ? Result.Failure<T>(string.Create(CultureInfo.InvariantCulture,
                    $"{Authority} sent an answer larger than {MaxAnswerBytes / (1024 * 1024)} MB to {method} {target}; that is not the panel's API."))
                : Interpret(response, body, method, target, accept, read);
        }
        catch (HttpRequestException e)
        {
            return Result.Failure<T>(Describe(e));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result.Failure<T>(_trust.Refusal ?? string.Create(CultureInfo.InvariantCulture,
                $"{Authority} did not answer within {_timeout.TotalSeconds:0} s (--timeout to wait longer)."));
        }
        catch (IOException e)
        {
            return Result.Failure<T>(_trust.Refusal ?? $"The connection to {Authority} broke off: {Display.Literal(e.Message, 200)}");
        }
    }

    private static async Task<byte[]?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxAnswerBytes)
        {
            return null;
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxAnswerBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private Result<T> Interpret<T>(HttpResponseMessage response, byte[] body, HttpMethod method, Uri path, string expected,
        Func<byte[], string, Result<T>> read)
    {
        var status = (int)response.StatusCode;
        var type = response.Content.Headers.ContentType?.MediaType;
        var call = $"{method} {path}";
        if (type == "application/problem+json" && Detail(body) is { } detail)
        {
            // The panel's own sentence, as its page shows it.
            return Result.Failure<T>(Display.Literal(detail, 500));
        }

        if (response.IsSuccessStatusCode && string.Equals(type, expected, StringComparison.OrdinalIgnoreCase))
        {
            return read(body, call);
        }

        return Result.Failure<T>(status switch
        {
            >= 300 and < 400 => $"{Authority} answered {call} with a redirect to {Display.Literal(response.Headers.Location?.ToString() ?? "nowhere", 200)}; "
                + "give --server as the panel's own https:// address.",
            401 => $"{Authority} refused the token (401) without saying why.",
            403 => $"{Authority} refused {call} to this token (403) without saying why.",
            404 => $"{Authority} has no {call} (404): is --server the panel's address, and is the panel recent enough to have this call?",
            429 => $"{Authority} has had too many calls from this token (429); try again in {response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 60:0} s.",
            >= 500 => $"{Authority} failed on {call} ({status} {Display.Literal(response.ReasonPhrase ?? string.Empty, 60)}); the panel's log says why.",
            _ => $"{Authority} answered {call} with {status} {Display.Literal(response.ReasonPhrase ?? string.Empty, 60)} "
                + $"and {Display.Literal(type ?? "no content type", 60)}, which is not the panel's API.",
        });
    }

    private Result<T> ReadJson<T>(byte[] body, string call)
    {
        try
        {
            var value = (T?)JsonSerializer.Deserialize(body, typeof(T), RemoteJson.Default);
            if (value is not null)
            {
                return Result.Success(value);
            }
        }
        catch (JsonException e)
        {
            return Result.Failure<T>($"{Authority} answered {call} with JSON that is not the panel's API ({Display.Literal(e.Message, 200)}).");
        }

        return Result.Failure<T>($"{Authority} answered {call} with an empty JSON value, not the panel's API.");
    }

    /// <summary>Every file the panel exports holds at least a certificate or a key: an empty one is not its answer.</summary>
    private Result<byte[]> ReadFile(byte[] body, string call) => body.Length > 0
        ? Result.Success(body)
        : Result.Failure<byte[]>($"{Authority} answered {call} with an empty file, not the panel's API.");

    private static string? Detail(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
                ? detail.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string Describe(HttpRequestException e)
    {
        if (_trust.Refusal is { } refusal)
        {
            return refusal;
        }

        var socket = Inner<SocketException>(e);
        var innermost = e.GetBaseException().Message;
        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"Cannot find the server {Display.Literal(Server.IdnHost, 100)}: its name does not resolve ({Display.Literal(innermost, 120)}).",
            HttpRequestError.ConnectionError when socket?.SocketErrorCode == SocketError.ConnectionRefused =>
                $"Nothing accepts connections on {Authority} (connection refused): is the panel running, and is {Server.Port} its HTTPS port?",
            HttpRequestError.ConnectionError when socket?.SocketErrorCode == SocketError.TimedOut =>
                $"{Authority} did not accept a connection (timed out): is the address right, and does a firewall let it through?",
            HttpRequestError.ConnectionError => $"Cannot connect to {Authority} ({Display.Literal(innermost, 160)}).",
            HttpRequestError.SecureConnectionError =>
                $"The TLS handshake with {Authority} failed ({Display.Literal(innermost, 160)}): is {Server.Port} the panel's HTTPS port?",
            HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded =>
                $"{Authority} did not answer in HTTP ({Display.Literal(innermost, 160)}); that is not the panel's API.",
            _ => $"The call to {Authority} failed ({Display.Literal(innermost, 160)}).",
        };
    }

    private static TException? Inner<TException>(Exception e)
        where TException : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is TException found)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>One part of a multipart upload: a file (with the name it has here) or, without a file name, a text field.</summary>
internal sealed record UploadPart(string Name, string? FileName, ReadOnlyMemory<byte> Content);
