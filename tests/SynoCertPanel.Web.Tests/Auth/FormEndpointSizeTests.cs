using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Web.Tests.Browser;

namespace SynoCertPanel.Web.Tests.Auth;

/// <summary>
/// The whole panel on a real Kestrel: every endpoint that takes a POST from a browser form (the server-rendered account
/// pages and every Blazor page, which accept a form post for static rendering), found in the app's own endpoint list so
/// a new one cannot slip by, answers a 50 MB form with 413 and one log line, whether the size is announced or not.
/// </summary>
public sealed partial class FormEndpointSizeTests : IAsyncLifetime, IDisposable
{
    /// <summary>What a hostile client sent; the panel accepts 1 MiB.</summary>
    private const int OversizedLength = 50 * 1024 * 1024;

    /// <summary>Endpoints that take other bodies, each with its own limit and tests: the API (JSON, uploads), ACME (JWS) and the Blazor hub.</summary>
    private static readonly string[] NotForms = ["/api/", "/acme/", "/_blazor"];

    private readonly LogCollector _logs = new();
    private readonly CookieContainer _cookies = new();
    private BrowserPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await BrowserPanel.StartAsync(logs: _logs);

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    public void Dispose() => _logs.Dispose();

    private Uri BaseAddress => new(_panel.Address + "/");

    [Fact]
    public void FormEndpoints_FoundInTheEndpointList_IncludeTheAccountFormsAndThePages()
    {
        var paths = FormPaths();

        Assert.Superset(new HashSet<string>(["/setup", "/login", "/login/two-factor", "/logout", "/reauthenticate", "/account/password",
            "/account/two-factor/enable", "/account/two-factor/disable", "/", "/authorities", "/certificates/1/renew"]), paths.ToHashSet());
    }

    [Fact]
    public Task FormEndpoints_FiftyMegabytesAnnounced_EachAnswers413AndLogsOneLine() =>
        AssertEveryFormRefusedAsync(path => Http2PostAsync(path, announced: true));

    [Fact]
    public Task FormEndpoints_FiftyMegabytesWithoutLength_EachAnswers413AndLogsOneLine() =>
        AssertEveryFormRefusedAsync(path => Http2PostAsync(path, announced: false));

    [Fact]
    public Task FormEndpoints_FiftyMegabytesChunkedOverHttp11_EachAnswers413AndLogsOneLine() =>
        AssertEveryFormRefusedAsync(ChunkedHttp11PostAsync);

    /// <summary>
    /// /setup first, while it is open; then the admin is created and every other form is posted signed in, so each
    /// reaches the code that reads the form rather than a redirect to sign in.
    /// </summary>
    private async Task AssertEveryFormRefusedAsync(Func<string, Task<(int Status, string Body)>> post)
    {
        var paths = FormPaths();
        var failures = new List<string>();
        await CheckAsync("/setup");
        using (var browser = new Browser(BaseAddress, _cookies))
        {
            var created = await browser.SubmitAsync("/setup", "/setup", new()
            {
                ["SetupToken"] = _panel.SetupToken!,
                ["UserName"] = BrowserPanel.AdminName,
                ["Password"] = BrowserPanel.AdminPassword,
                ["ConfirmPassword"] = BrowserPanel.AdminPassword,
            });
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        }

        foreach (var path in paths.Where(p => p != "/setup"))
        {
            await CheckAsync(path);
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Empty(_logs.Exceptions);

        async Task CheckAsync(string path)
        {
            var before = _logs.Messages.Count;
            var (status, body) = await post(path);
            // The log line is written before the answer goes out; give the logger no chance to be late.
            var logged = _logs.Messages.Skip(before).Where(m => m.StartsWith($"Refused POST {path} with 413", StringComparison.Ordinal)).ToList();
            if (status != 413 || !body.Contains("larger than the panel accepts", StringComparison.Ordinal) || logged.Count != 1)
            {
                failures.Add($"{path}: {status}, {logged.Count} log line(s), body {body[..Math.Min(body.Length, 200)]}");
            }
        }
    }

    /// <summary>Every POST route outside the API, ACME and the hub, with "1" for each route value.</summary>
    private List<string> FormPaths() =>
        [.. _panel.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => "/" + RouteValue().Replace(e.RoutePattern.RawText!.TrimStart('/'), "1"))
            .Where(p => !NotForms.Any(n => p.StartsWith(n, StringComparison.Ordinal)))
            .Distinct()
            .Order(StringComparer.Ordinal)];

    /// <summary>Over HTTP/2, as browsers talk to the panel: the 413 ends only that stream, so the client reads it.</summary>
    private async Task<(int, string)> Http2PostAsync(string path, bool announced)
    {
        using var client = new HttpClient(new HttpClientHandler
        {
            CookieContainer = _cookies,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })
        {
            BaseAddress = BaseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using HttpContent content = announced ? new ByteArrayContent(FormBody(OversizedLength)) : new StreamContent(new FormStream());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await client.PostAsync(new Uri(path.TrimStart('/'), UriKind.Relative), content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// HTTP/1.1 with a chunked body, by hand: the answer is read while the body still goes out, since the server closes
    /// the connection on a body it will not read and a client that only reads afterwards may see the reset instead.
    /// </summary>
    private async Task<(int, string)> ChunkedHttp11PostAsync(string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _panel.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        var cookie = _cookies.GetCookieHeader(BaseAddress);
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{_panel.Port}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Transfer-Encoding: chunked\r\n" + (cookie.Length > 0 ? $"Cookie: {cookie}\r\n" : string.Empty) + "\r\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(head));
        var answer = ReadAnswerAsync(tls);
        var chunk = Encoding.ASCII.GetBytes($"{64 * 1024:x}\r\n" + "UserName=admin&Password=".PadRight(64 * 1024, 'x') + "\r\n");
        try
        {
            for (var sent = 0; sent < OversizedLength && !answer.IsCompleted; sent += 64 * 1024)
            {
                await tls.WriteAsync(chunk);
            }
        }
        catch (IOException)
        {
            // The server closed the connection after its answer, as it should.
        }

        return await answer.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<(int, string)> ReadAnswerAsync(Stream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
                var text = Encoding.UTF8.GetString(received.ToArray());
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end > 0 && ContentLength().Match(text) is { Success: true } length
                    && received.Length >= end + 4 + int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // A reset after the answer arrived; what was read is the answer.
        }

        var all = Encoding.UTF8.GetString(received.ToArray());
        var status = StatusLine().Match(all);
        return (status.Success ? int.Parse(status.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0, all);
    }

    private static byte[] FormBody(int length)
    {
        var body = new byte[length];
        "UserName=admin&Password="u8.CopyTo(body);
        body.AsSpan(24).Fill((byte)'x');
        return body;
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteValue();

    [GeneratedRegex(@"^HTTP/1\.1 (\d{3})")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"(?im)^content-length:\s*(\d+)")]
    private static partial Regex ContentLength();

    /// <summary>A form body of unknown length: 50 MB of one password field, produced as it is read.</summary>
    private sealed class FormStream : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, OversizedLength - _position);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            if (_position == 0 && n >= 24)
            {
                "UserName=admin&Password="u8.CopyTo(buffer.AsSpan(offset));
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
