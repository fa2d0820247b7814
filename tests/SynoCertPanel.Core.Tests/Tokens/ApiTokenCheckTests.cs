using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Core.Tests.Tokens;

public sealed class ApiTokenCheckTests : IAsyncLifetime
{
    private readonly MovableClock _clock = new();
    private PanelFixture _panel = null!;

    private ApiTokenService Tokens => new(_panel.Storage, _clock);

    private ApiTokenCheck Check => new(_panel.Storage, _clock);

    public async Task InitializeAsync() => _panel = await PanelFixture.CreateAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task Check_LiveToken_NamesItsIdNameAndScopes()
    {
        var created = await CreateAsync("grafana", null, ApiScopes.CertificatesRead, ApiScopes.AuditRead);

        var checkedToken = await Check.CheckAsync(created.Secret);

        Assert.True(checkedToken.IsValid, checkedToken.Message);
        Assert.Equal((created.Token.Id, "grafana"), (checkedToken.Token!.Id, checkedToken.Token.Name));
        Assert.Equal([ApiScopes.CertificatesRead, ApiScopes.AuditRead], checkedToken.Token.Scopes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("hunter2")]
    [InlineData("scp_1_short")]
    [InlineData("ghp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Check_NotAToken_IsMalformed(string? text)
    {
        var result = await Check.CheckAsync(text);

        Assert.Equal(ApiTokenRefusal.Malformed, result.Refusal);
        Assert.Equal("The bearer token is not a token of this panel: they look like scp_ID_SECRET.", result.Message);
    }

    [Fact]
    public async Task Check_WrongSecretOrId_IsUnknown()
    {
        var created = await CreateAsync("script", null, ApiScopes.CertificatesRead);
        var wrongSecret = ApiTokenSecret.Format(created.Token.Id, ApiTokenSecret.NewSecret());
        var wrongId = created.Secret.Replace($"scp_{created.Token.Id}_", "scp_999_", StringComparison.Ordinal);

        foreach (var text in new[] { wrongSecret, wrongId })
        {
            var result = await Check.CheckAsync(text);
            Assert.Equal(ApiTokenRefusal.Unknown, result.Refusal);
            Assert.Null(result.Token);
        }
    }

    [Fact]
    public async Task Check_RevokedToken_IsRevokedButOnlyWithTheRightSecret()
    {
        var created = await CreateAsync("script", null, ApiScopes.CertificatesRead);
        await Tokens.RevokeAsync(created.Token.Id, "web:admin");

        var right = await Check.CheckAsync(created.Secret);
        var wrong = await Check.CheckAsync(ApiTokenSecret.Format(created.Token.Id, ApiTokenSecret.NewSecret()));

        Assert.Equal(ApiTokenRefusal.Revoked, right.Refusal);
        Assert.StartsWith("The token \"script\" was revoked on ", right.Message, StringComparison.Ordinal);
        Assert.Equal(ApiTokenRefusal.Unknown, wrong.Refusal);
    }

    [Fact]
    public async Task Check_AfterItsExpiry_IsExpired()
    {
        var created = await CreateAsync("script", 1, ApiScopes.CertificatesRead);
        Assert.True((await Check.CheckAsync(created.Secret)).IsValid);

        _clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var result = await Check.CheckAsync(created.Secret);

        Assert.Equal(ApiTokenRefusal.Expired, result.Refusal);
        Assert.Contains("expired on", result.Message, StringComparison.Ordinal);
        Assert.Equal(ApiTokenState.Expired, (await Tokens.ListAsync()).Single().StateAt(_clock.GetUtcNow()));
    }

    [Fact]
    public async Task Check_ManyCallsWithinAMinute_WriteLastUsedOnce()
    {
        var created = await CreateAsync("busy script", null, ApiScopes.CertificatesRead);

        await Check.CheckAsync(created.Secret);
        var first = await LastUsedAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));
        await Check.CheckAsync(created.Secret);
        await Check.CheckAsync(created.Secret);
        var unchanged = await LastUsedAsync();
        _clock.Advance(TimeSpan.FromSeconds(31));
        await Check.CheckAsync(created.Secret);
        var later = await LastUsedAsync();

        Assert.NotNull(first);
        Assert.Equal(first, unchanged);
        Assert.True(later > first, $"{later} after {first}");
        Assert.InRange(later!.Value - first!.Value, TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(70));
    }

    [Fact]
    public async Task Check_RefusedToken_DoesNotCountAsAUse()
    {
        var created = await CreateAsync("script", null, ApiScopes.CertificatesRead);

        await Check.CheckAsync(ApiTokenSecret.Format(created.Token.Id, ApiTokenSecret.NewSecret()));

        Assert.Null(await LastUsedAsync());
    }

    private async Task<CreatedApiToken> CreateAsync(string name, int? days, params string[] scopes)
    {
        var created = await Tokens.CreateAsync(new ApiTokenRequest { Name = name, Scopes = scopes, ExpiresInDays = days }, "web:admin");
        Assert.True(created.IsSuccess, created.Error);
        return created.Value;
    }

    private async Task<DateTimeOffset?> LastUsedAsync()
    {
        await using var db = _panel.Storage.CreateContext();
        return (await db.ApiTokens.SingleAsync()).LastUsedAt;
    }
}
