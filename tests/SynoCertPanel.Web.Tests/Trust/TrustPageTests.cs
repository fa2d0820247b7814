using System.Net;

namespace SynoCertPanel.Web.Tests.Trust;

public sealed class TrustPageTests(TrustServer server) : IClassFixture<TrustServer>
{
    private async Task<(HttpResponseMessage Response, string Html)> GetAsync(string path, string? userAgent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        var response = await server.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Page_ListsCaWithFingerprintAndDownloads_SubjectEncoded()
    {
        var (response, html) = await GetAsync("/trust");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/_content/MudBlazor/MudBlazor.min.css\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("Home &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Root&quot;", html, StringComparison.Ordinal);
        Assert.Matches("SHA-256 <code class=\"panel-mono\">([0-9A-F]{2}:){31}[0-9A-F]{2}</code>", html);
        foreach (var extension in new[] { "crt", "cer", "mobileconfig", "sh" })
        {
            Assert.Contains($"href=\"/trust/ca/{server.AuthorityId}.{extension}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Page_StartUpCaBesideOwnCa_OwnFirstStartUpMarkedAndNamedAsTheServingCa()
    {
        var (_, html) = await GetAsync("/trust");

        var own = html.IndexOf("Home &lt;script&gt;", StringComparison.Ordinal);
        var startUp = html.IndexOf("<h3>SynoCertPanel CA (", StringComparison.Ordinal);
        Assert.True(own >= 0 && startUp > own, "the operator's CA comes before the panel's start-up CA");
        Assert.Matches("<section class=\"ca [^\"]*\" id=\"served-by\"><h3>SynoCertPanel CA \\([^<]*\\) — Temporary \\(panel start-up\\) \\(signed this page's certificate\\)</h3>", html);
        Assert.Matches("<p data-testid=\"served-by\">This page reaches you with the certificate for <code>[^<]*</code>, signed by <strong>SynoCertPanel CA \\(", html);
        Assert.Equal(1, html.Split("Temporary (panel start-up)").Length - 1);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1", "steps-ios")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36", "steps-android")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36", "steps-windows")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15", "steps-macos")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "steps-linux")]
    public async Task Page_VisitorsOs_ComesFirst(string userAgent, string expectedFirst)
    {
        var (_, html) = await GetAsync("/trust", userAgent);

        var first = html.IndexOf("id=\"steps-", StringComparison.Ordinal);
        Assert.Equal(first, html.IndexOf($"id=\"{expectedFirst}\"", StringComparison.Ordinal));
        Assert.Contains($"<section id=\"{expectedFirst}\"", html, StringComparison.Ordinal);
        Assert.Contains("(this device)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_Iphone_OtherPlatformsFoldedAfterTheIosSteps()
    {
        var (_, html) = await GetAsync("/trust", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1");

        var ios = html.IndexOf("<section id=\"steps-ios\"", StringComparison.Ordinal);
        Assert.True(ios > 0);
        foreach (var other in new[] { "macos", "windows", "android", "linux", "firefox" })
        {
            var folded = html.IndexOf($"<details id=\"steps-{other}\"", StringComparison.Ordinal);
            Assert.True(folded > ios, $"the {other} steps are folded after the iOS steps");
        }

        Assert.Single(html.Split("id=\"steps-ios\"").Skip(1));
    }

    [Fact]
    public async Task Page_UnknownDevice_EveryPlatformFoldedNoneMarkedAsThisDevice()
    {
        var (_, html) = await GetAsync("/trust", string.Empty);

        Assert.DoesNotContain("<section id=\"steps-", html, StringComparison.Ordinal);
        Assert.DoesNotContain("(this device)", html, StringComparison.Ordinal);
        Assert.Equal(6, html.Split("<details id=\"steps-").Length - 1);
    }

    [Fact]
    public async Task Page_Anonymous_AppBarLeadsToTheSignIn_QrCodeBeforeTheSteps()
    {
        var (_, html) = await GetAsync("/trust");

        Assert.Matches("<a class=\"[^\"]*\" href=\"/\" data-testid=\"trust-back\"><span class=\"mud-button-label\">Sign in</span></a>", html);
        Assert.True(html.IndexOf("Open this page on a phone", StringComparison.Ordinal) < html.IndexOf("Install steps", StringComparison.Ordinal),
            "the QR code sits beside the CA list, before the steps");
    }

    [Fact]
    public async Task Page_TrustRulesSteps_AllPresent()
    {
        var (_, html) = await GetAsync("/trust");

        Assert.Contains("Certificate Trust Settings", html, StringComparison.Ordinal);
        Assert.Contains("Always Trust", html, StringComparison.Ordinal);
        Assert.Contains("Trusted Root Certification Authorities", html, StringComparison.Ordinal);
        Assert.Contains("apps ignore user-installed CAs", html, StringComparison.Ordinal);
        // A command's words sit in spans (a phone breaks it only between them): what a person reads and copies is the text.
        var text = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", string.Empty));
        Assert.Contains("certutil -d sql:$HOME/.pki/nssdb -A -t \"C,,\" -n NAME -i ca.crt", text, StringComparison.Ordinal);
        Assert.Contains("sudo update-ca-certificates", text, StringComparison.Ordinal);
        Assert.Contains("update-ca-certificates", html, StringComparison.Ordinal);
        Assert.Contains("update-ca-trust", html, StringComparison.Ordinal);
        Assert.Contains("security.enterprise_roots.enabled", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nas.home.arpa", "8443", "https://nas.home.arpa:8443/trust")]
    [InlineData("192.168.1.20", "", null)]
    [InlineData("fd00::20", "443", "https://[fd00::20]/trust")]
    public async Task Page_ValidHost_ShowsQrCodeOfTrustUrl(string host, string port, string? expectedUrl)
    {
        var (_, html) = await GetAsync($"/trust?host={Uri.EscapeDataString(host)}&port={port}");

        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains(expectedUrl ?? $"https://192.168.1.20:{server.BaseAddress.Port}/trust", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host=%3Cscript%3Ealert(1)%3C/script%3E", "&lt;script&gt;")]
    [InlineData("host=javascript:alert(1)", "is not a host name or IP address")]
    [InlineData("host=*.home.arpa", "is not a host name or IP address")]
    [InlineData("host=nas.home.arpa/evil%3Fx", "is not a host name or IP address")]
    [InlineData("host=nas%0d%0aSet-Cookie:x", "is not a host name or IP address")]
    [InlineData("host=nas.home.arpa&port=99999", "is not a port number")]
    [InlineData("host=nas.home.arpa&port=%22%3E%3Cscript%3E", "is not a port number")]
    [InlineData("host=a&host=b", "is not a host name or IP address")]
    public async Task Page_HostileQuery_ShowsMessageAndNoQrCode(string query, string expected)
    {
        var (response, html) = await GetAsync("/trust?" + query + "&x=" + new string('a', 3000));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task QrSvg_ValidHost_IsSvg_InvalidHost_Is400()
    {
        using var good = await server.Client.GetAsync(new Uri("/trust/qr.svg?host=nas.home.arpa&port=8443", UriKind.Relative));
        using var bad = await server.Client.GetAsync(new Uri("/trust/qr.svg?host=%3Cx%3E", UriKind.Relative));

        Assert.Equal("image/svg+xml", good.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", (await good.Content.ReadAsStringAsync()).TrimStart(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
