using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>Every call that changes the inventory, and the read-only ones beside them, refuse a missing, expired or revoked token.</summary>
public sealed class ApiEndpointAuthenticationTests : IAsyncLifetime
{
    private ApiPanel _api = null!;

    public static TheoryData<string, string> Calls() => new()
    {
        { "POST", "/api/v1/requests" },
        { "GET", "/api/v1/requests" },
        { "GET", "/api/v1/requests/1" },
        { "DELETE", "/api/v1/requests/1" },
        { "POST", "/api/v1/certificates/1/renew" },
        { "POST", "/api/v1/certificates/1/default" },
        { "DELETE", "/api/v1/certificates/1" },
        { "POST", "/api/v1/certificates/sign" },
        { "GET", "/api/v1/authorities" },
        { "GET", "/api/v1/authorities/1" },
        { "GET", "/api/v1/audit" },
    };

    public async Task InitializeAsync() => _api = await ApiPanel.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_WithoutExpiredOrRevokedToken_Is401AndChangesNothing(string method, string path)
    {
        var expired = await _api.CreateTokenAsync("old script", [.. ApiScopes.All]);
        await _api.UpdateTokenAsync(expired.Token.Id, $"ExpiresAt = {DateTimeOffset.UtcNow.AddSeconds(-1).UtcTicks}");
        var revoked = await _api.CreateTokenAsync("leaked", [.. ApiScopes.All]);
        await new ApiTokenService(_api.Storage, TimeProvider.System).RevokeAsync(revoked.Token.Id, "web:admin");
        var before = await _api.CountAsync();

        var none = await _api.SendAsync(new HttpMethod(method), path, authorization: null);
        var old = await _api.SendAsync(new HttpMethod(method), path, "Bearer " + expired.Secret);
        var gone = await _api.SendAsync(new HttpMethod(method), path, "Bearer " + revoked.Secret);

        Assert.StartsWith("No API token", await ApiPanel.ProblemDetailAsync(none, 401), StringComparison.Ordinal);
        Assert.StartsWith("The token \"old script\" expired on ", await ApiPanel.ProblemDetailAsync(old, 401), StringComparison.Ordinal);
        Assert.StartsWith("The token \"leaked\" was revoked", await ApiPanel.ProblemDetailAsync(gone, 401), StringComparison.Ordinal);
        Assert.Equal(before, await _api.CountAsync());
    }
}
