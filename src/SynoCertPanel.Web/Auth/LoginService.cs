using Microsoft.AspNetCore.Identity;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// Password sign-in that answers the same way, in about the same time, whether or not the user name exists:
/// an unknown name still costs one password hash and is locked out after the same number of failures.
/// </summary>
internal sealed class LoginService(
    SignInManager<IdentityUser> signIn,
    IPasswordHasher<IdentityUser> hasher,
    UnknownNameLockout unknownNames,
    TimeProvider time)
{
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<IdentityUser>().HashPassword(new IdentityUser(), Guid.NewGuid().ToString()));

    public async Task<LoginOutcome> PasswordSignInAsync(string userName, string password)
    {
        var user = await signIn.UserManager.FindByNameAsync(userName).ConfigureAwait(false);
        if (user is null)
        {
            if (unknownNames.LockedUntil(userName) is { } until)
            {
                return LoginOutcome.LockedUntil(until, time.GetUtcNow());
            }

            hasher.VerifyHashedPassword(new IdentityUser(), DecoyHash.Value, password);
            unknownNames.RecordFailure(userName);
            return unknownNames.LockedUntil(userName) is { } lockedNow
                ? LoginOutcome.LockedUntil(lockedNow, time.GetUtcNow())
                : new LoginOutcome(LoginStatus.WrongCredentials, LoginOutcome.WrongCredentialsMessage);
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true).ConfigureAwait(false);
        return await ToOutcomeAsync(user, result, LoginOutcome.WrongCredentialsMessage).ConfigureAwait(false);
    }

    /// <summary>The second step, for the user whose password was right a moment ago (held in Identity's two-factor cookie).</summary>
    public async Task<LoginOutcome?> TwoFactorSignInAsync(string code)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync().ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }

        var result = await signIn.TwoFactorAuthenticatorSignInAsync(NormaliseCode(code), isPersistent: false, rememberClient: false).ConfigureAwait(false);
        return await ToOutcomeAsync(user, result, LoginOutcome.WrongCodeMessage).ConfigureAwait(false);
    }

    /// <summary>Proves again who a signed-in user is (password, and code when two-factor is on), then signs in afresh.</summary>
    public async Task<LoginOutcome> ReauthenticateAsync(IdentityUser user, string password, string? code)
    {
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return await ToOutcomeAsync(user, result, "Wrong password.").ConfigureAwait(false);
        }

        var userManager = signIn.UserManager;
        if (await userManager.GetTwoFactorEnabledAsync(user).ConfigureAwait(false)
            && !await userManager.VerifyTwoFactorTokenAsync(user, userManager.Options.Tokens.AuthenticatorTokenProvider, NormaliseCode(code)).ConfigureAwait(false))
        {
            await userManager.AccessFailedAsync(user).ConfigureAwait(false);
            return await ToOutcomeAsync(user, SignInResult.Failed, LoginOutcome.WrongCodeMessage).ConfigureAwait(false);
        }

        await signIn.SignInAsync(user, isPersistent: false).ConfigureAwait(false);
        return new LoginOutcome(LoginStatus.SignedIn);
    }

    internal static string NormaliseCode(string? code) => new((code ?? string.Empty).Where(char.IsAsciiDigit).Take(10).ToArray());

    internal async Task<LoginOutcome> ToOutcomeAsync(IdentityUser user, SignInResult result, string wrongMessage)
    {
        if (result.Succeeded)
        {
            return new LoginOutcome(LoginStatus.SignedIn);
        }

        if (result.RequiresTwoFactor)
        {
            return new LoginOutcome(LoginStatus.NeedsTwoFactorCode);
        }

        if (result.IsLockedOut || await signIn.UserManager.IsLockedOutAsync(user).ConfigureAwait(false))
        {
            var end = await signIn.UserManager.GetLockoutEndDateAsync(user).ConfigureAwait(false);
            return LoginOutcome.LockedUntil(end ?? time.GetUtcNow(), time.GetUtcNow());
        }

        return new LoginOutcome(LoginStatus.WrongCredentials, wrongMessage);
    }
}
