using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Core.Tests.Tokens;

public sealed class ApiTokenServiceTests : IAsyncLifetime
{
    private const string Actor = "web:admin";

    private readonly MovableClock _clock = new();
    private PanelFixture _panel = null!;

    private ApiTokenService Tokens => new(_panel.Storage, _clock);

    public async Task InitializeAsync() => _panel = await PanelFixture.CreateAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task Create_ValidRequest_ReturnsTheSecretOnceAndListsTheTokenWithoutIt()
    {
        var created = await Tokens.CreateAsync(Request("  backup script on nas2  ", ApiScopes.CertificatesRead), Actor);

        Assert.True(created.IsSuccess, created.Error);
        Assert.Matches($"^scp_{created.Value.Token.Id}_[A-Za-z0-9_-]{{43}}$", created.Value.Secret);
        var listed = Assert.Single(await Tokens.ListAsync());
        Assert.Equal("backup script on nas2", listed.Name);
        Assert.Equal([ApiScopes.CertificatesRead], listed.Scopes);
        Assert.Equal(Actor, listed.CreatedBy);
        Assert.Null(listed.ExpiresAt);
        Assert.Null(listed.LastUsedAt);
        Assert.Equal(ApiTokenState.Active, listed.StateAt(_clock.GetUtcNow()));
    }

    [Fact]
    public async Task Create_Succeeded_IsAuditedWithTheActorAndTheTokensId()
    {
        var created = await Tokens.CreateAsync(Request("grafana", ApiScopes.CertificatesRead, ApiScopes.AuditRead), Actor);

        var audit = await _panel.LastAuditAsync();
        Assert.Equal(AuditActions.CreateToken, audit.Action);
        Assert.Equal(Actor, audit.Actor);
        Assert.Equal("grafana", audit.Target);
        Assert.Equal(AuditOutcome.Succeeded, audit.Outcome);
        Assert.Contains($"token {created.Value.Token.Id}", audit.Detail, StringComparison.Ordinal);
        Assert.Contains("certificates:read audit:read", audit.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Value.Secret[^43..], audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_SecretIsNeverStoredInClear_OnlyItsSha256()
    {
        var created = await Tokens.CreateAsync(Request("ansible", ApiScopes.CertificatesWrite), Actor);
        var parsed = ApiTokenSecret.Parse(created.Value.Secret)!.Value;

        await using (var db = _panel.Storage.CreateContext())
        {
            var row = await db.ApiTokens.SingleAsync();
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(parsed.Secret), row.SecretSha256);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(_panel.Storage.Data.Path, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith(".db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(Contains(bytes, parsed.Secret), $"{file} holds the secret's bytes");
            Assert.False(Contains(bytes, System.Text.Encoding.ASCII.GetBytes(created.Value.Secret[^43..])), $"{file} holds the secret's text");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("nul\0here")]
    [InlineData("bell\u0007")]
    [InlineData("escape \u001b[31mred")]
    [InlineData("evil\u202Egnp.exe")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("line\u2028separator")]
    [InlineData("lone \uD800 surrogate")]
    [InlineData("private \uE000 use")]
    public async Task Create_BadName_IsRefusedStoresNothingAndIsAudited(string? name)
    {
        var created = await Tokens.CreateAsync(Request(name, ApiScopes.CertificatesRead), Actor);

        Assert.False(created.IsSuccess);
        Assert.Empty(await Tokens.ListAsync());
        var audit = await _panel.LastAuditAsync();
        Assert.Equal(AuditActions.CreateToken, audit.Action);
        Assert.Equal(AuditOutcome.Refused, audit.Outcome);
        Assert.Equal(created.Error, audit.Detail);
        Assert.DoesNotContain(audit.Target, c => char.IsControl(c));
    }

    [Fact]
    public async Task Create_NameOf100Characters_IsAcceptedAnd101Refused()
    {
        Assert.True((await Tokens.CreateAsync(Request(new string('n', 100), ApiScopes.CertificatesRead), Actor)).IsSuccess);

        var refused = await Tokens.CreateAsync(Request(new string('m', 101), ApiScopes.CertificatesRead), Actor);

        Assert.Equal("The name is 101 characters long; at most 100 are allowed.", refused.Error);
    }

    [Fact]
    public async Task Create_UnicodeName_IsKeptInOneNormalForm()
    {
        var created = await Tokens.CreateAsync(Request("Cafe\u0301 Pi 日本", ApiScopes.CertificatesRead), Actor);

        Assert.Equal("Caf\u00e9 Pi 日本", created.Value.Token.Name);
        Assert.False((await Tokens.CreateAsync(Request("Caf\u00e9 pi 日本", ApiScopes.CertificatesRead), Actor)).IsSuccess);
    }

    [Fact]
    public async Task Create_NameOfALiveToken_IsRefusedWhateverTheCase()
    {
        await Tokens.CreateAsync(Request("Backup", ApiScopes.CertificatesRead), Actor);

        var again = await Tokens.CreateAsync(Request(" backup ", ApiScopes.KeysExport), Actor);

        Assert.Equal("A token named \"backup\" is already in use; choose another name or revoke that one first.", again.Error);
        Assert.Single(await Tokens.ListAsync());
        Assert.Equal(AuditOutcome.Refused, (await _panel.LastAuditAsync()).Outcome);
    }

    [Fact]
    public async Task Create_NameOfARevokedToken_IsFree()
    {
        var first = await Tokens.CreateAsync(Request("backup", ApiScopes.CertificatesRead), Actor);
        await Tokens.RevokeAsync(first.Value.Token.Id, Actor);

        var second = await Tokens.CreateAsync(Request("backup", ApiScopes.CertificatesRead), Actor);

        Assert.True(second.IsSuccess, second.Error);
        Assert.NotEqual(first.Value.Token.Id, second.Value.Token.Id);
    }

    [Fact]
    public async Task Create_NameOfAnExpiredToken_IsFree()
    {
        await Tokens.CreateAsync(Request("backup", 1, ApiScopes.CertificatesRead), Actor);
        _clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        var second = await Tokens.CreateAsync(Request("backup", ApiScopes.CertificatesRead), Actor);

        Assert.True(second.IsSuccess, second.Error);
    }

    [Theory]
    [InlineData(new string[0], "Give the token at least one scope")]
    [InlineData(new[] { "" }, "Give the token at least one scope")]
    [InlineData(new[] { " , " }, "Give the token at least one scope")]
    [InlineData(new[] { "admin" }, "There is no scope named admin; the scopes are certificates:read, certificates:write, keys:export, boxes:deploy, acme:admin, audit:read, metrics:read.")]
    [InlineData(new[] { "certificates:READ" }, "There is no scope named certificates:READ")]
    [InlineData(new[] { "certificates:read", "certificates:*" }, "There is no scope named certificates:*")]
    [InlineData(new[] { "certificates:read\nkeys:export" }, "There is no scope named certificates:read\\u000Akeys:export")]
    public async Task Create_BadScopes_AreRefused(string[] scopes, string expected)
    {
        var created = await Tokens.CreateAsync(Request("script", scopes), Actor);

        Assert.StartsWith(expected, created.Error, StringComparison.Ordinal);
        Assert.Empty(await Tokens.ListAsync());
    }

    [Fact]
    public async Task Create_RepeatedAndCommaSeparatedScopes_AreKeptOnceInTheirOrder()
    {
        var created = await Tokens.CreateAsync(Request("script", "audit:read,certificates:read", "certificates:read", "keys:export"), Actor);

        Assert.Equal([ApiScopes.CertificatesRead, ApiScopes.KeysExport, ApiScopes.AuditRead], created.Value.Token.Scopes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3651)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public async Task Create_ExpiryOutOfRange_IsRefused(int days)
    {
        var created = await Tokens.CreateAsync(Request("script", days, ApiScopes.CertificatesRead), Actor);

        Assert.Equal($"The expiry must be 1 to 3650 days, or none; {days} was given.", created.Error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3650)]
    public async Task Create_ExpiryInRange_ExpiresThatManyDaysLater(int days)
    {
        var before = _clock.GetUtcNow();

        var created = await Tokens.CreateAsync(Request("script", days, ApiScopes.CertificatesRead), Actor);

        Assert.InRange(created.Value.Token.ExpiresAt!.Value, before.AddDays(days), _clock.GetUtcNow().AddDays(days));
    }

    [Fact]
    public async Task Revoke_Twice_RevokesOnceAndAuditsOnce()
    {
        var created = await Tokens.CreateAsync(Request("script", ApiScopes.CertificatesRead), Actor);

        var first = await Tokens.RevokeAsync(created.Value.Token.Id, "cli:root");
        _clock.Advance(TimeSpan.FromMinutes(5));
        var second = await Tokens.RevokeAsync(created.Value.Token.Id, "cli:root");

        Assert.True(second.IsSuccess, second.Error);
        Assert.Equal(first.Value.RevokedAt, second.Value.RevokedAt);
        Assert.Equal(ApiTokenState.Revoked, second.Value.StateAt(_clock.GetUtcNow()));
        await using var db = _panel.Storage.CreateContext();
        var revocation = Assert.Single(await db.AuditEvents.Where(a => a.Action == AuditActions.RevokeToken).ToListAsync());
        Assert.Equal("cli:root", revocation.Actor);
        Assert.Equal("script", revocation.Target);
    }

    [Fact]
    public async Task Revoke_UnknownId_IsRefusedAndAudited()
    {
        var revoked = await Tokens.RevokeAsync(99, Actor);

        Assert.Equal("There is no token with id 99.", revoked.Error);
        var audit = await _panel.LastAuditAsync();
        Assert.Equal((AuditActions.RevokeToken, AuditOutcome.Refused), (audit.Action, audit.Outcome));
    }

    private static ApiTokenRequest Request(string? name, params string[] scopes) => new() { Name = name, Scopes = scopes };

    private static ApiTokenRequest Request(string? name, int days, params string[] scopes) => new() { Name = name, Scopes = scopes, ExpiresInDays = days };

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
