using System.Net;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Tests.Browser;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>Who may call /api/v1: a live token with the scope, and nothing else (no cookie, no other scheme).</summary>
public sealed class ApiAuthenticationTests : IAsyncLifetime
{
    private const string List = "/api/v1/certificates";

    private ApiPanel _api = null!;

    public async Task InitializeAsync() => _api = await ApiPanel.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task NoToken_Is401WithBearerChallengeAndTheReason()
    {
        var response = await _api.GetAsync(List, token: null);

        Assert.StartsWith("No API token: send one as \"Authorization: Bearer scp_", await ApiPanel.ProblemDetailAsync(response, 401), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("Bearer not-a-token", "The bearer token is not a token of this panel: they look like scp_ID_SECRET.")]
    [InlineData("Bearer ", "The Authorization header is not one \"Bearer <token>\"")]
    [InlineData("Bearer  scp_1_tooshort", "The bearer token is not a token of this panel")]
    [InlineData("Bearer scp_1_tooshort", "The bearer token is not a token of this panel")]
    [InlineData("Basic YWRtaW46Y29ycmVjdCBob3JzZSBiYXR0ZXJ5IHN0YXBsZQ==", "The Authorization header is not one \"Bearer <token>\"")]
    [InlineData("Token scp_1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "The Authorization header is not one \"Bearer <token>\"")]
    [InlineData("scp_1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "The Authorization header is not one \"Bearer <token>\"")]
    public async Task MalformedAuthorization_Is401InvalidToken(string authorization, string expected)
    {
        var response = await _api.SendAsync(HttpMethod.Get, List, authorization);

        Assert.StartsWith(expected, await ApiPanel.ProblemDetailAsync(response, 401), StringComparison.Ordinal);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task OversizedToken_Is401Malformed()
    {
        var response = await _api.GetAsync(List, "scp_1_" + new string('A', 6000));

        Assert.StartsWith("The bearer token is not a token of this panel", await ApiPanel.ProblemDetailAsync(response, 401), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownToken_Is401NotKnown()
    {
        var real = await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead);

        var wrongSecret = await _api.GetAsync(List, ApiTokenSecret.Format(real.Token.Id, ApiTokenSecret.NewSecret()));
        var wrongId = await _api.GetAsync(List, ApiTokenSecret.Format(real.Token.Id + 1, ApiTokenSecret.NewSecret()));

        Assert.StartsWith("The token is not known to this panel", await ApiPanel.ProblemDetailAsync(wrongSecret, 401), StringComparison.Ordinal);
        Assert.StartsWith("The token is not known to this panel", await ApiPanel.ProblemDetailAsync(wrongId, 401), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredToken_Is401Expired()
    {
        var token = await _api.CreateTokenAsync("old script", ApiScopes.CertificatesRead);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(List, token.Secret)).StatusCode);

        await _api.UpdateTokenAsync(token.Token.Id, $"ExpiresAt = {DateTimeOffset.UtcNow.AddSeconds(-1).UtcTicks}");
        var response = await _api.GetAsync(List, token.Secret);

        Assert.StartsWith("The token \"old script\" expired on ", await ApiPanel.ProblemDetailAsync(response, 401), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedToken_Is401Revoked_FromTheNextCallOn()
    {
        var token = await _api.CreateTokenAsync("leaked", ApiScopes.CertificatesRead);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(List, token.Secret)).StatusCode);

        await new ApiTokenService(_api.Storage, TimeProvider.System).RevokeAsync(token.Token.Id, "web:admin");
        var response = await _api.GetAsync(List, token.Secret);

        Assert.StartsWith("The token \"leaked\" was revoked on ", await ApiPanel.ProblemDetailAsync(response, 401), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(List)]
    [InlineData(List + "/1")]
    public async Task MissingScope_Is403NamingIt(string path)
    {
        var token = await _api.CreateTokenAsync("auditor", ApiScopes.AuditRead, ApiScopes.CertificatesWrite, ApiScopes.KeysExport);

        var response = await _api.GetAsync(path, token.Secret);

        Assert.Equal($"This token lacks the scope certificates:read, which GET {path} needs; make a token that has it.",
            await ApiPanel.ProblemDetailAsync(response, 403));
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"certificates:read\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("GET", "/api/v1/nothing")]
    [InlineData("GET", "/api/v1")]
    [InlineData("GET", "/api/v1/certificates/1/nothing")]
    [InlineData("DELETE", "/api/v1/certificates")]
    [InlineData("PUT", "/api/v1/certificates")]
    public async Task UnknownCall_WithToken_Is404Problem_WithoutTokenIs401(string method, string path)
    {
        var token = await _api.CreateTokenAsync("auditor", ApiScopes.AuditRead);

        var withToken = await _api.SendAsync(new HttpMethod(method), path, "Bearer " + token.Secret);
        var without = await _api.SendAsync(new HttpMethod(method), path, authorization: null);

        Assert.Equal($"There is no {method} {path} in this API.", await ApiPanel.ProblemDetailAsync(withToken, 404));
        Assert.StartsWith("No API token", await ApiPanel.ProblemDetailAsync(without, 401), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_RecordsTheTokensLastUse()
    {
        var token = await _api.CreateTokenAsync("dashboard", ApiScopes.CertificatesRead);
        var before = DateTimeOffset.UtcNow;

        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(List, token.Secret)).StatusCode);

        var listed = (await new ApiTokenService(_api.Storage, TimeProvider.System).ListAsync()).Single(t => t.Id == token.Token.Id);
        Assert.InRange(listed.LastUsedAt!.Value, before.AddSeconds(-1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task SignedInBrowser_GetsNoAccessToTheApi()
    {
        using var browser = new Auth.Browser(new Uri(_api.Panel.Address));
        var setup = await browser.SubmitAsync("/setup", "/setup", new()
        {
            ["SetupToken"] = _api.Panel.SetupToken!,
            ["UserName"] = BrowserPanel.AdminName,
            ["Password"] = BrowserPanel.AdminPassword,
            ["ConfirmPassword"] = BrowserPanel.AdminPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/")).StatusCode);

        var api = await browser.GetApiAsync(List);
        var one = await browser.GetApiAsync(List + "/1");

        Assert.StartsWith("No API token", await ApiPanel.ProblemDetailAsync(api, 401), StringComparison.Ordinal);
        Assert.StartsWith("No API token", await ApiPanel.ProblemDetailAsync(one, 401), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/authorities")]
    [InlineData("/audit")]
    public async Task Token_OpensNoPage(string path)
    {
        var token = await _api.CreateTokenAsync("everything", [.. ApiScopes.All]);

        var response = await _api.GetAsync(path, token.Secret, accept: "text/html");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Token_OpensNoBlazorHub()
    {
        var token = await _api.CreateTokenAsync("everything", [.. ApiScopes.All]);

        var response = await _api.SendAsync(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1", "Bearer " + token.Secret, content: new StringContent(string.Empty));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
