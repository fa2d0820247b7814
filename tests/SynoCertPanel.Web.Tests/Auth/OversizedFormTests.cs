using System.Net;
using System.Net.Http.Headers;

namespace SynoCertPanel.Web.Tests.Auth;

/// <summary>Form posts far over the body limit, on a real Kestrel: every form endpoint answers 413 and logs one line.</summary>
public sealed class OversizedFormTests : IAsyncLifetime
{
    /// <summary>What a hostile client sent; the panel accepts 1 MiB.</summary>
    private const int OversizedLength = 50 * 1024 * 1024;

    private TestPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await TestPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task Setup_FiftyMegabyteForm_Answers413AndLogsOneLine()
    {
        using var client = Http2Client(new CookieContainer());

        var response = await client.PostAsync(new Uri("/setup", UriKind.Relative), OversizedForm());

        await AssertRefusedAsync(response, "/setup");
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/login/two-factor")]
    [InlineData("/logout")]
    [InlineData("/reauthenticate")]
    [InlineData("/account/password")]
    [InlineData("/account/two-factor/enable")]
    [InlineData("/account/two-factor/disable")]
    public async Task FormEndpoint_FiftyMegabyteFormFromASignedInBrowser_Answers413AndLogsOneLine(string path)
    {
        using var browser = await _panel.SetUpAdminAsync();
        using var client = Http2Client(browser.Cookies);

        var response = await client.PostAsync(new Uri(path, UriKind.Relative), OversizedForm());

        await AssertRefusedAsync(response, path);
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, string path)
    {
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than the panel accepts", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_panel.Logs.Exceptions);
        Assert.Single(_panel.Logs.Messages, m => m.StartsWith($"Refused POST {path} with 413", StringComparison.Ordinal));
    }

    /// <summary>
    /// Over HTTP/2, as browsers talk to the panel: the 413 ends only that stream, so the client reads it. Over HTTP/1.1
    /// the server must close the connection on a body it will not read, and a client still sending gets a broken pipe
    /// before it looks at the answer.
    /// </summary>
    private HttpClient Http2Client(CookieContainer cookies) =>
        new(new HttpClientHandler
        {
            CookieContainer = cookies,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })
        {
            BaseAddress = _panel.BaseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

    private static ByteArrayContent OversizedForm()
    {
        var body = new byte[OversizedLength];
        "UserName=admin&Password="u8.CopyTo(body);
        body.AsSpan(24).Fill((byte)'x');
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return content;
    }
}
