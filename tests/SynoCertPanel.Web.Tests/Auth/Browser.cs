using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace SynoCertPanel.Web.Tests.Auth;

/// <summary>One browser: its own cookie jar, no automatic redirects (tests look at them), pages fetched as HTML.</summary>
internal sealed partial class Browser : IDisposable
{
    private readonly HttpClient _client;

    public Browser(Uri baseAddress, CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        _client = new HttpClient(new HttpClientHandler
        {
            CookieContainer = Cookies,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })
        { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public Uri BaseAddress => _client.BaseAddress!;

    public Task<HttpResponseMessage> GetPageAsync(string path) => SendAsync(HttpMethod.Get, path, "text/html");

    public Task<HttpResponseMessage> GetApiAsync(string path) => SendAsync(HttpMethod.Get, path, "application/json");

    public Task<HttpResponseMessage> PostAsync(string path, HttpContent content) =>
        _client.PostAsync(new Uri(path, UriKind.Relative), content);

    /// <summary>Loads the page with the form, then posts the fields with the page's antiforgery token, as a browser would.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string formPage, string action, Dictionary<string, string> fields)
    {
        var page = await GetPageAsync(formPage);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, $"No antiforgery token on {formPage} ({(int)page.StatusCode}): {html}");
        return await PostFormAsync(action, new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value) });
    }

    public Task<HttpResponseMessage> PostFormAsync(string action, Dictionary<string, string> fields) =>
        _client.PostAsync(new Uri(action, UriKind.Relative), new FormUrlEncodedContent(fields));

    public async Task<HttpResponseMessage> SignInAsync(string userName = TestPanel.AdminName, string password = TestPanel.AdminPassword) =>
        await SubmitAsync("/login", "/login", new() { ["UserName"] = userName, ["Password"] = password, ["ReturnUrl"] = "/" });

    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string accept)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await _client.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
