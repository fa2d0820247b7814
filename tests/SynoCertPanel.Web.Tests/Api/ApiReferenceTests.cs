using System.Net;
using Microsoft.Playwright;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Tests.Browser;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>The interactive API reference (Scalar) at /api/reference: signed-in users only, and nothing loaded from elsewhere.</summary>
public sealed class ApiReferenceTests : IAsyncLifetime
{
    private const string Reference = "/api/reference";

    /// <summary>Records every CSP violation from the first byte of the page, before Scalar's scripts run.</summary>
    private const string RecordViolations =
        "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile));";

    private ApiPanel _api = null!;

    public async Task InitializeAsync() => _api = await ApiPanel.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData(Reference)]
    [InlineData(Reference + "/")]
    [InlineData(Reference + "/v1")]
    public async Task Anonymous_BrowserIsSentToLogin_ScriptGets401(string path)
    {
        var navigation = await _api.GetAsync(path, token: null, accept: "text/html");
        var script = await _api.GetAsync(path, token: null);

        Assert.Equal(HttpStatusCode.Redirect, navigation.StatusCode);
        Assert.StartsWith("/login", navigation.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, script.StatusCode);
    }

    [Fact]
    public async Task BearerToken_WithEveryScope_DoesNotOpenTheReference()
    {
        var token = await _api.CreateTokenAsync("everything", [.. ApiScopes.All]);

        var navigation = await _api.GetAsync(Reference + "/", token.Secret, accept: "text/html");
        var script = await _api.GetAsync(Reference + "/", token.Secret);

        Assert.Equal(HttpStatusCode.Redirect, navigation.StatusCode);
        Assert.StartsWith("/login", navigation.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, script.StatusCode);
    }

    [Fact]
    public async Task SignedInChromium_SeesTheOperations_WithNoCspViolationAndNothingFromElsewhere()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { IgnoreHTTPSErrors = true });
        await _api.Panel.CreateAdminAsync(page);
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(_api.Panel.Address + "/", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal)
                && !request.Url.StartsWith("blob:", StringComparison.Ordinal))
            {
                elsewhere.Add(request.Url);
            }
        };
        var errors = await BrowserPanel.WatchForErrorsAsync(page);
        await page.AddInitScriptAsync(RecordViolations);

        var response = await page.GotoAsync(_api.Panel.Address + Reference);
        await page.GetByText("List certificates").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.GetByText("Create a server certificate").First.WaitForAsync();
        var violations = await page.EvaluateAsync<string[]>("() => window.__violations");
        // What "Send request" does: a same-origin call with the token, which the page's connect-src allows.
        var token = await _api.CreateTokenAsync("reference", ApiScopes.CertificatesRead);
        var status = await page.EvaluateAsync<int>(
            "async secret => (await fetch('/api/v1/certificates', { headers: { Authorization: 'Bearer ' + secret } })).status", token.Secret);

        Assert.Equal(200, response!.Status);
        var policy = await response.HeaderValueAsync("content-security-policy");
        Assert.Matches("script-src 'self' 'nonce-[A-Za-z0-9+/_-]+={0,2}';", policy);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        // The one refusal is Zod's probe `try { Function(''); return true } catch { return false }` in Scalar's bundle: refused,
        // it validates without compiling code, which is why the policy keeps 'unsafe-eval' out rather than allow it here.
        var expectedProbe = $"script-src eval {_api.Panel.Address}{Reference}/scalar.js";
        Assert.True(violations.All(v => v == expectedProbe), string.Join("\n", violations));
        Assert.Equal(200, status);
        Assert.Equal(0, await page.GetByText("Generate SDK").CountAsync());
        Assert.Empty(elsewhere);
        Assert.Empty(errors);
    }
}
