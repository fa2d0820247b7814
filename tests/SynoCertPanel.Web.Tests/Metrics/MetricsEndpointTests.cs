using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Tests.Api;

namespace SynoCertPanel.Web.Tests.Metrics;

/// <summary>/metrics on a real panel: off by default, who may read it when on, and what it says.</summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private const string Path = "/metrics";

    private ApiPanel _api = null!;

    public async Task InitializeAsync() => _api = await ApiPanel.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Off_Is404_EvenWithAMetricsToken()
    {
        var token = await _api.CreateTokenAsync("grafana", ApiScopes.MetricsRead);

        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync(Path, token: null, accept: "text/plain")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync(Path, token.Secret, accept: "text/plain")).StatusCode);
    }

    [Fact]
    public async Task OnWithTokenOnly_NoToken_Is401NamingScopeAndAddress()
    {
        await MetricsText.EnableAsync(_api);

        var response = await _api.GetAsync(Path, token: null, accept: "text/plain");

        var detail = await ApiPanel.ProblemDetailAsync(response, 401);
        Assert.StartsWith("No API token, and 127.0.0.1 is not in the address ranges that may read /metrics without one", detail, StringComparison.Ordinal);
        Assert.Contains("metrics:read", detail, StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task OnFromAnotherRange_NoToken_Is401()
    {
        await MetricsText.EnableAsync(_api, "192.168.1.0/24, fd00::/8");

        var response = await _api.GetAsync(Path, token: null, accept: "text/plain");

        Assert.StartsWith("No API token, and 127.0.0.1 is not in the address ranges", await ApiPanel.ProblemDetailAsync(response, 401), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_TokenWithoutMetricsScope_Is403()
    {
        await MetricsText.EnableAsync(_api);
        var token = await _api.CreateTokenAsync("everything else", [.. ApiScopes.All.Where(s => s != ApiScopes.MetricsRead)]);

        var response = await _api.GetAsync(Path, token.Secret, accept: "text/plain");

        Assert.Equal("This token lacks the scope metrics:read, which GET /metrics needs; make a token that has it.",
            await ApiPanel.ProblemDetailAsync(response, 403));
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"metrics:read\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task On_RevokedOrUnknownToken_Is401WithTheReason()
    {
        await MetricsText.EnableAsync(_api);
        var token = await _api.CreateTokenAsync("old grafana", ApiScopes.MetricsRead);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(Path, token.Secret, accept: "text/plain")).StatusCode);
        Assert.True((await new ApiTokenService(_api.Storage, TimeProvider.System).RevokeAsync(token.Token.Id, "test")).IsSuccess);

        var revoked = await _api.GetAsync(Path, token.Secret, accept: "text/plain");
        var garbage = await _api.SendAsync(HttpMethod.Get, Path, "Bearer not-a-token", accept: "text/plain");

        Assert.Contains("revoked", await ApiPanel.ProblemDetailAsync(revoked, 401), StringComparison.Ordinal);
        Assert.StartsWith("The bearer token is not a token of this panel", await ApiPanel.ProblemDetailAsync(garbage, 401), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_TurnedOffAgain_Is404()
    {
        await MetricsText.EnableAsync(_api, "127.0.0.0/8");
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(Path, token: null, accept: "text/plain")).StatusCode);

        await new Core.Metrics.MetricsAccessStore(_api.Storage, TimeProvider.System).DisableAsync("test");

        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync(Path, token: null, accept: "text/plain")).StatusCode);
    }

    [Fact]
    public async Task OnFromAllowedRange_NoToken_ServesEveryCertificatesExpiryAndState()
    {
        await MetricsText.EnableAsync(_api, "10.0.0.0/8 127.0.0.0/8");
        var (alphaId, alphaNotAfter) = await MetricsText.CertificateAsync(_api, "alpha.home.arpa");
        var (charlieId, _) = await MetricsText.CertificateAsync(_api, "charlie.home.arpa");

        var response = await _api.GetAsync(Path, token: null, accept: "text/plain");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var alpha = MetricsText.Sample(text, string.Create(CultureInfo.InvariantCulture,
            $"synocertpanel_certificate_expiry_seconds{{id=\"{alphaId}\",common_name=\"alpha.home.arpa\",description=\"alpha.home.arpa web\",issuer=\"alpha.home.arpa Root CA\",is_ca=\"false\",is_default=\"false\"}}"));
        Assert.InRange(alpha, (alphaNotAfter - DateTimeOffset.UtcNow).TotalSeconds - 60, (alphaNotAfter - DateTimeOffset.UtcNow).TotalSeconds + 60);
        // The seed made charlie last, as the default; the roots are CAs.
        Assert.Single(MetricsText.Samples(text, "synocertpanel_certificate_expiry_seconds"),
            l => l.Contains(string.Create(CultureInfo.InvariantCulture, $"id=\"{charlieId}\""), StringComparison.Ordinal) && l.Contains("is_default=\"true\"", StringComparison.Ordinal));
        Assert.Equal(3, MetricsText.Samples(text, "synocertpanel_certificate_expiry_seconds").Count(l => l.Contains("is_ca=\"true\"", StringComparison.Ordinal)));
        Assert.Equal(1, MetricsText.Sample(text, string.Create(CultureInfo.InvariantCulture, $"synocertpanel_certificate_state{{id=\"{alphaId}\",state=\"valid\"}}")));
        Assert.Equal(6, MetricsText.Sample(text, "synocertpanel_certificates{state=\"valid\"}"));
        Assert.Equal(0, MetricsText.Sample(text, "synocertpanel_certificates{state=\"expired\"}"));
        await MetricsText.AssertPromtoolAcceptsAsync(text);
    }

    [Fact]
    public async Task WithMetricsToken_TextPassesPromtool_AndCountsRequestsByRouteTemplate()
    {
        await MetricsText.EnableAsync(_api);
        var token = await _api.CreateTokenAsync("grafana", ApiScopes.MetricsRead);
        var reader = await _api.CreateTokenAsync("script", ApiScopes.CertificatesRead);
        var (alphaId, _) = await MetricsText.CertificateAsync(_api, "alpha.home.arpa");
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync($"/api/v1/certificates/{alphaId}", reader.Secret)).StatusCode);
        // A scan of made-up paths must not become one series per path.
        for (var i = 0; i < 20; i++)
        {
            using var _ = await _api.GetAsync($"/scan-{Guid.NewGuid():N}/wp-login.php", token: null, accept: "text/html");
        }

        var text = await (await _api.GetAsync(Path, token.Secret, accept: "text/plain")).Content.ReadAsStringAsync();

        await MetricsText.AssertPromtoolAcceptsAsync(text);
        Assert.DoesNotContain("scan-", text, StringComparison.Ordinal);
        var endpoints = MetricsText.EndpointLabel().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("/api/v1/certificates/{id}", endpoints);
        Assert.True(endpoints.Count < 10, string.Join(", ", endpoints));
        Assert.Contains(MetricsText.Samples(text, "http_requests_received_total"),
            l => l.Contains("code=\"200\"", StringComparison.Ordinal) && l.Contains("endpoint=\"/api/v1/certificates/{id}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TlsHandshakes_CountSucceededAndFailed()
    {
        await MetricsText.EnableAsync(_api, "127.0.0.0/8");
        var before = await _api.GetAsync(Path, token: null, accept: "text/plain");
        var beforeText = await before.Content.ReadAsStringAsync();
        var failedBefore = MetricsText.Sample(beforeText, "synocertpanel_tls_handshakes_total{result=\"failed\"}");
        Assert.True(MetricsText.Sample(beforeText, "synocertpanel_tls_handshakes_total{result=\"succeeded\"}") >= 1);

        // Plain HTTP sent to the HTTPS port is not a TLS handshake.
        for (var i = 0; i < 3; i++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, _api.Panel.Port);
            var stream = client.GetStream();
            await stream.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var buffer = new byte[256];
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        }

        // Counted when the connection ends, which the server may finish just after the client saw it close.
        var failed = failedBefore;
        for (var attempt = 0; attempt < 50 && failed < failedBefore + 3; attempt++)
        {
            await Task.Delay(100);
            failed = MetricsText.Sample(await (await _api.GetAsync(Path, token: null, accept: "text/plain")).Content.ReadAsStringAsync(),
                "synocertpanel_tls_handshakes_total{result=\"failed\"}");
        }

        Assert.Equal(failedBefore + 3, failed);
    }
}
