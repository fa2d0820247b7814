using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Auth;
using SynoCertPanel.Web.Components.Certificates;
using SynoCertPanel.Web.Components.Settings;
using SynoCertPanel.Web.Components.Tokens;
using SynoCertPanel.Web.Tests.Auth;

namespace SynoCertPanel.Web.Tests.Settings;

/// <summary>The API tokens section of the Settings page with its create and revoke dialogs, over a real database and account.</summary>
public sealed class ApiTokenSettingsTests : SettingsComponentTest
{
    private IRenderedComponent<MudDialogProvider> _dialogs = null!;

    private ApiTokenService Tokens => new(Storage, Time);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_dialogs, _) = RenderProviders();
    }

    public static TheoryData<string, string?, TokenExpiryChoice, string?, string, string> BadInputs() => new()
    {
        { "", ApiScopes.CertificatesRead, TokenExpiryChoice.Days90, null, "token-name-error", "Give the token a name" },
        { "   ", ApiScopes.CertificatesRead, TokenExpiryChoice.Days90, null, "token-name-error", "Give the token a name" },
        { new string('n', 101), ApiScopes.CertificatesRead, TokenExpiryChoice.Days90, null, "token-name-error", "101 characters long; at most 100" },
        { "backup\tscript", ApiScopes.CertificatesRead, TokenExpiryChoice.Days90, null, "token-name-error", "control or invisible character" },
        { "backup\u202Escript", ApiScopes.CertificatesRead, TokenExpiryChoice.Days90, null, "token-name-error", "control or invisible character" },
        { "backup script", null, TokenExpiryChoice.Days90, null, "token-scope-error", "Give the token at least one scope" },
        { "backup script", ApiScopes.CertificatesRead, TokenExpiryChoice.Custom, "", "token-expiry-error", "Type the number of days" },
        { "backup script", ApiScopes.CertificatesRead, TokenExpiryChoice.Custom, "ninety", "token-expiry-error", "\"ninety\" is not a number of days" },
        { "backup script", ApiScopes.CertificatesRead, TokenExpiryChoice.Custom, "-5", "token-expiry-error", "not a number of days" },
        { "backup script", ApiScopes.CertificatesRead, TokenExpiryChoice.Custom, "0", "token-expiry-error", "1 to 3650 days, or none; 0 was given" },
        { "backup script", ApiScopes.CertificatesRead, TokenExpiryChoice.Custom, "3651", "token-expiry-error", "1 to 3650 days, or none; 3651 was given" },
        { "backup script", ApiScopes.CertificatesRead, TokenExpiryChoice.Custom, "99999999999", "token-expiry-error", "not a number of days" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Create_BadInput_MessageBesideTheFieldAndNothingStored(string name, string? scope, TokenExpiryChoice expiry, string? days, string errorId, string message)
    {
        var section = Render<ApiTokenSettings>();
        OpenCreate(section);

        Type("token-name-input", name);
        if (scope is null)
        {
            SetScope(ApiScopes.CertificatesRead, false);
        }

        ChooseExpiry(expiry);
        if (days is not null)
        {
            Type("token-days", days);
        }

        Type("token-password", AccountPassword);
        _dialogs.Find("[data-testid=token-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains(message, DialogText(errorId), StringComparison.Ordinal));
        Assert.Equal("alert", _dialogs.Find($"[data-testid={errorId}]").GetAttribute("role"));
        Assert.Single(_dialogs.FindAll("[data-testid$=-error]"));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == CreateTokenDialog.RevealFunction);
        Assert.Empty(await Tokens.ListAsync());
        Assert.Equal(0, await AuditCountAsync());
        // No password try was spent on a form that could not be sent.
        Assert.Equal(0, (await ReloadAccountAsync()).AccessFailedCount);
        Assert.Empty(_dialogs.FindAll("[data-testid=token-secret]"));
    }

    [Fact]
    public async Task Create_WrongPassword_RefusedAuditedCountedAndNothingStored()
    {
        var section = Render<ApiTokenSettings>();
        OpenCreate(section);

        Type("token-name-input", "backup script");
        Type("token-password", "not the account password");
        _dialogs.Find("[data-testid=token-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Equal(PasswordConfirmation.WrongPasswordMessage, DialogText("token-password-error")));
        Assert.Empty(await Tokens.ListAsync());
        Assert.Equal(1, (await ReloadAccountAsync()).AccessFailedCount);
        await using var db = Storage.CreateContext();
        var refusal = await db.AuditEvents.SingleAsync();
        Assert.Equal((AuditActions.CreateToken, AuditOutcome.Refused, UserName, "backup script"), (refusal.Action, refusal.Outcome, refusal.Actor, refusal.Target));
        // The password field is emptied for the next try.
        Assert.Equal(string.Empty, _dialogs.Find("[data-testid=token-password] input, input[data-testid=token-password]").GetAttribute("value") ?? string.Empty);
    }

    [Fact]
    public async Task Create_NameOfALiveToken_RefusedBesideTheName()
    {
        Assert.True((await Tokens.CreateAsync(new ApiTokenRequest { Name = "Backup Script", Scopes = [ApiScopes.AuditRead] }, UserName)).IsSuccess);
        var section = Render<ApiTokenSettings>();
        OpenCreate(section);

        Type("token-name-input", "backup script");
        Type("token-password", AccountPassword);
        _dialogs.Find("[data-testid=token-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("is already in use; choose another name", DialogText("token-name-error"), StringComparison.Ordinal));
        Assert.Single(await Tokens.ListAsync());
        Assert.Empty(_dialogs.FindAll("[data-testid=token-secret]"));
    }

    [Fact]
    public async Task Create_RightInput_ShowsTheWorkingSecretOnceAndListsTheTokenWithoutIt()
    {
        var section = Render<ApiTokenSettings>();
        section.WaitForAssertion(() => Assert.NotNull(FindOrNull(section, "tokens-empty")));
        OpenCreate(section);

        Type("token-name-input", "  deploy job  ");
        SetScope(ApiScopes.CertificatesWrite, true);
        SetScope(ApiScopes.KeysExport, true);
        Assert.Contains("can carry private keys away", DialogText("token-keys-warning"), StringComparison.Ordinal);
        ChooseExpiry(TokenExpiryChoice.Custom);
        Type("token-days", "45");
        Type("token-password", AccountPassword);
        _dialogs.Find("[data-testid=token-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("[data-testid=token-secret]")), TimeSpan.FromSeconds(10));
        var secret = _dialogs.Find("input[data-testid=token-secret], [data-testid=token-secret] input");
        var text = secret.GetAttribute("value")!;
        Assert.True(secret.HasAttribute("readonly"));
        Assert.StartsWith(ApiTokenSecret.Prefix, text, StringComparison.Ordinal);
        Assert.Contains("will not be shown again", DialogText("token-secret-warning"), StringComparison.Ordinal);
        Assert.Equal($"curl -H \"Authorization: Bearer {text}\" http://localhost/api/v1/certificates", DialogText("token-curl"));
        var check = await new ApiTokenCheck(Storage, Time).CheckAsync(text);
        Assert.True(check.IsValid, check.Message);
        Assert.Equal((IReadOnlyList<string>)[ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite, ApiScopes.KeysExport], check.Token!.Scopes);
        var stored = Assert.Single(await Tokens.ListAsync());
        Assert.Equal(CertificateText.Date(stored.ExpiresAt!.Value), DialogText("token-created-expiry"));
        Assert.Equal("deploy job", stored.Name);
        Assert.Equal(45, (stored.ExpiresAt!.Value - stored.CreatedAt).TotalDays, 3);

        _dialogs.Find("[data-testid=token-copy]").Click();
        Assert.Equal(text, JSInterop.Invocations["navigator.clipboard.writeText"].Single().Arguments[0]);

        _dialogs.Find("[data-testid=token-done]").Click();
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=token-dialog]")));
        section.WaitForAssertion(() => Assert.Equal("deploy job", Text(section, "token-name")));
        Assert.DoesNotContain(text, _dialogs.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(text, section.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(text[^20..], section.Markup, StringComparison.Ordinal);
        var row = section.Find($"[data-testid=token-row-{stored.Id}]");
        Assert.Equal(["certificates:read", "certificates:write", "keys:export"], row.QuerySelectorAll(".mud-chip").Select(c => c.TextContent.Trim()).Take(3));
        Assert.Equal("Active", Text(section, "token-state").Trim());
        // The check of the secret above was its first use.
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$", Text(section, "token-last-used").Trim());

        // Opening the dialog again starts empty: the secret is nowhere to be found.
        OpenCreate(section);
        Assert.Empty(_dialogs.FindAll("[data-testid=token-secret]"));
        Assert.DoesNotContain(text, _dialogs.Markup, StringComparison.Ordinal);
        await using var db = Storage.CreateContext();
        Assert.DoesNotContain(await db.AuditEvents.Select(e => e.Detail).ToListAsync(), d => d != null && d.Contains(text[^20..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_TwoFactorOn_AsksForTheCodeAndRefusesAWrongOne()
    {
        string key;
        await using (var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = (await users.FindByIdAsync(Account.Id))!;
            await users.ResetAuthenticatorKeyAsync(user);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
            Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
        }

        var section = Render<ApiTokenSettings>();
        OpenCreate(section);
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("[data-testid=token-code]")));

        Type("token-name-input", "ansible");
        Type("token-password", AccountPassword);
        Type("token-code", "000000" == Totp.Code(key, DateTimeOffset.UtcNow) ? "111111" : "000000");
        _dialogs.Find("[data-testid=token-save]").Click();
        _dialogs.WaitForAssertion(() => Assert.Equal(LoginOutcome.WrongCodeMessage, DialogText("token-password-error")));
        Assert.Empty(await Tokens.ListAsync());

        Type("token-password", AccountPassword);
        Type("token-code", Totp.Code(key, DateTimeOffset.UtcNow));
        _dialogs.Find("[data-testid=token-save]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("[data-testid=token-secret]")), TimeSpan.FromSeconds(10));
        Assert.Single(await Tokens.ListAsync());
    }

    [Fact]
    public async Task Revoke_NamesTheTokenAndKeepItChangesNothing()
    {
        var created = (await Tokens.CreateAsync(new ApiTokenRequest { Name = "home assistant", Scopes = [ApiScopes.CertificatesRead] }, UserName)).Value;
        var section = Render<ApiTokenSettings>();

        section.WaitForAssertion(() => section.Find($"[data-testid=token-revoke-{created.Token.Id}]").Click());
        _dialogs.WaitForAssertion(() => Assert.Equal("Revoke the token \"home assistant\"?", DialogText("revoke-question")));
        _dialogs.Find("[data-testid=revoke-keep]").Click();

        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=revoke-dialog]")));
        Assert.Equal(ApiTokenState.Active, Assert.Single(await Tokens.ListAsync()).StateAt(Time.GetUtcNow()));
        Assert.True((await new ApiTokenCheck(Storage, Time).CheckAsync(created.Secret)).IsValid);
    }

    [Fact]
    public async Task Revoke_WrongPassword_RefusedAuditedAndTheTokenStillWorks()
    {
        var created = (await Tokens.CreateAsync(new ApiTokenRequest { Name = "home assistant", Scopes = [ApiScopes.CertificatesRead] }, UserName)).Value;
        var section = Render<ApiTokenSettings>();

        section.WaitForAssertion(() => section.Find($"[data-testid=token-revoke-{created.Token.Id}]").Click());
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("[data-testid=revoke-confirm]")));
        _dialogs.Find("[data-testid=revoke-confirm]").Click();

        _dialogs.WaitForAssertion(() => Assert.Equal(PasswordConfirmation.WrongPasswordMessage, DialogText("revoke-error")));
        Assert.Equal("alert", _dialogs.Find("[data-testid=revoke-error]").GetAttribute("role"));
        Assert.True((await new ApiTokenCheck(Storage, Time).CheckAsync(created.Secret)).IsValid);
        await using var db = Storage.CreateContext();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.RevokeToken && e.Outcome == AuditOutcome.Refused && e.Target == "home assistant"));
    }

    [Fact]
    public async Task Revoke_RightPassword_TheTokenIsRefusedAndListedAsRevoked()
    {
        var created = (await Tokens.CreateAsync(new ApiTokenRequest { Name = "home assistant", Scopes = [ApiScopes.CertificatesRead] }, UserName)).Value;
        var section = Render<ApiTokenSettings>();

        section.WaitForAssertion(() => section.Find($"[data-testid=token-revoke-{created.Token.Id}]").Click());
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("[data-testid=revoke-password]")));
        Type("revoke-password", AccountPassword);
        _dialogs.Find("[data-testid=revoke-confirm]").Click();

        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=revoke-dialog]")), TimeSpan.FromSeconds(10));
        section.WaitForAssertion(() => Assert.StartsWith("Revoked", Text(section, "token-state").Trim(), StringComparison.Ordinal));
        Assert.Empty(section.FindAll($"[data-testid=token-revoke-{created.Token.Id}]"));
        Assert.Equal(ApiTokenRefusal.Revoked, (await new ApiTokenCheck(Storage, Time).CheckAsync(created.Secret)).Refusal);
    }

    [Fact]
    public async Task List_ExpiredAndRevokedTokens_ShowTheirStateAndOnlyLiveOnesCanBeRevoked()
    {
        var clock = new ManualClock();
        clock.Advance(TimeSpan.FromDays(-40));
        var old = new ApiTokenService(Storage, clock);
        var expired = (await old.CreateAsync(new ApiTokenRequest { Name = "old job", Scopes = [ApiScopes.AuditRead], ExpiresInDays = 30 }, UserName)).Value.Token;
        var revoked = (await old.CreateAsync(new ApiTokenRequest { Name = "gone job", Scopes = [ApiScopes.BoxesDeploy, ApiScopes.AcmeAdmin] }, UserName)).Value.Token;
        Assert.True((await old.RevokeAsync(revoked.Id, UserName)).IsSuccess);

        var section = Render<ApiTokenSettings>();

        section.WaitForAssertion(() => Assert.Equal(2, section.FindAll("[data-testid=token-state]").Count));
        Assert.Equal("Expired", section.Find($"[data-testid=token-row-{expired.Id}] [data-testid=token-state]").TextContent.Trim());
        Assert.StartsWith("Revoked", section.Find($"[data-testid=token-row-{revoked.Id}] [data-testid=token-state]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.All(section.FindAll("[data-testid=token-last-used]"), cell => Assert.Equal("Never", cell.TextContent.Trim()));
        Assert.NotEmpty(section.FindAll($"[data-testid=token-revoke-{expired.Id}]"));
        Assert.Empty(section.FindAll($"[data-testid=token-revoke-{revoked.Id}]"));
    }

    [Fact]
    public void ScopeChoices_AreTheServiceScopesAndOnlyKeysExportIsSensitive()
    {
        Assert.Equal(ApiScopes.All, ApiScopeChoices.All.Select(c => c.Scope));
        Assert.Equal([ApiScopes.KeysExport], ApiScopeChoices.All.Where(c => c.Sensitive).Select(c => c.Scope));
        Assert.All(ApiScopeChoices.All, c => Assert.DoesNotContain('\n', c.Explanation));
    }

    private void OpenCreate(IRenderedComponent<ApiTokenSettings> section)
    {
        section.WaitForAssertion(() => Assert.Empty(section.FindAll(".mud-progress-linear")));
        section.Find("[data-testid=token-create]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("[data-testid=token-save]")));
    }

    private void Type(string testId, string text) => _dialogs.Find($"input[data-testid={testId}], [data-testid={testId}] input").Input(text);

    private void SetScope(string scope, bool on) =>
        _dialogs.Find($"input[data-testid=token-scope-{scope.Replace(':', '-')}], [data-testid=token-scope-{scope.Replace(':', '-')}] input").Change(on);

    private void ChooseExpiry(TokenExpiryChoice choice) => _dialogs.Find($"input[data-testid=token-expiry-{choice}]").Click();

    private string DialogText(string testId) => _dialogs.Find($"[data-testid={testId}]").TextContent.Trim();
}
