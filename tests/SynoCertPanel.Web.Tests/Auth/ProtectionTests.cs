using System.Net;
using System.Net.WebSockets;

namespace SynoCertPanel.Web.Tests.Auth;

public sealed class ProtectionTests : IAsyncLifetime
{
    private TestPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await TestPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Theory]
    [InlineData("/health")]
    [InlineData("/api/certificates")]
    [InlineData("/login")]
    public async Task AnyResponse_CarriesTheSecurityHeaders(string path)
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.GetApiAsync(path);

        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal($"connect-src 'self' wss://127.0.0.1:{_panel.BaseAddress.Port}",
            Directive(response.Headers.GetValues("Content-Security-Policy").Single(), "connect-src"));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ContentSecurityPolicy_HostileHostHeader_NamesNoOtherSource()
    {
        var (status, policy) = await GetWithHostAsync("evil.example'unsafe-eval'");

        // Kestrel lets this through (quotes are legal in a URI's host; it refuses ';' and ','), so the panel's own code decides.
        Assert.Equal(200, status);
        Assert.Equal("connect-src 'self'", Directive(policy, "connect-src"));
        Assert.Equal(["script-src 'self'"], policy.Split(';', StringSplitOptions.TrimEntries).Where(d => d.StartsWith("script-src", StringComparison.Ordinal)));
        Assert.DoesNotContain("evil", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hsts_OptedIn_IsSent()
    {
        await using var panel = await TestPanel.StartAsync(hsts: true);
        using var browser = panel.NewBrowser();

        var response = await browser.GetApiAsync("/health");

        Assert.Equal("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task HubWebSocket_FromAnotherOrigin_IsRefusedWith403()
    {
        using var browser = await _panel.SetUpAdminAsync();

        var status = await ConnectHubAsync(browser, "https://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task HubWebSocket_FromThePanelsOwnOrigin_IsAccepted()
    {
        using var browser = await _panel.SetUpAdminAsync();

        var status = await ConnectHubAsync(browser, $"https://127.0.0.1:{_panel.BaseAddress.Port}");

        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
    }

    [Fact]
    public async Task HubNegotiate_FromAnotherOrigin_IsRefusedWith403()
    {
        using var browser = await _panel.SetUpAdminAsync();
        using var content = new StringContent(string.Empty);
        content.Headers.Add("Origin", "https://evil.example");

        var response = await browser.PostAsync("/_blazor/negotiate?negotiateVersion=1", content);
        using var sameOrigin = new StringContent(string.Empty);
        var allowed = await browser.PostAsync("/_blazor/negotiate?negotiateVersion=1", sameOrigin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task RequestBody_OverTheDefaultLimit_IsRefusedUnlessTheEndpointAllowsUploads()
    {
        using var browser = _panel.NewBrowser();
        var body = new byte[2 * 1024 * 1024];

        var refused = await browser.PostAsync("/upload", new ByteArrayContent(body));
        var small = await browser.PostAsync("/upload", new ByteArrayContent(new byte[1000]));
        var upload = await browser.PostAsync("/upload/large", new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("1000", await small.Content.ReadAsStringAsync());
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), await upload.Content.ReadAsStringAsync());
    }

    private static string Directive(string policy, string name) =>
        Assert.Single(policy.Split(';', StringSplitOptions.TrimEntries), d => d.StartsWith(name + " ", StringComparison.Ordinal));

    /// <summary>GET /health with a Host header HttpClient would not send, over a raw TLS connection.</summary>
    private async Task<(int Status, string Policy)> GetWithHostAsync(string host)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _panel.BaseAddress.Port);
        await using var tls = new System.Net.Security.SslStream(client.GetStream());
        await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
        });
        await tls.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET /health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(tls, System.Text.Encoding.ASCII);
        var response = await reader.ReadToEndAsync();
        var lines = response.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var policy = lines.Where(l => l.StartsWith("Content-Security-Policy:", StringComparison.OrdinalIgnoreCase))
            .Select(l => l["Content-Security-Policy:".Length..].Trim()).SingleOrDefault() ?? string.Empty;
        return (status, policy);
    }

    private static async Task<HttpStatusCode> ConnectHubAsync(Browser browser, string origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        // The test panel serves a throwaway self-signed certificate; this test is about the Origin check.
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null;
        socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.SetRequestHeader("Cookie", browser.Cookies.GetCookieHeader(browser.BaseAddress));
        var uri = new UriBuilder(browser.BaseAddress) { Scheme = "wss", Path = "/_blazor" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }

        return socket.HttpStatusCode;
    }
}
