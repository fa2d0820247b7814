using Microsoft.AspNetCore.Identity;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// The password again (and the code, with two-factor on) inside an interactive page, before a private key leaves the
/// panel. A page cannot renew the sign-in cookie the way /reauthenticate does, so it checks the same things and
/// counts failures towards the same lockout; each check uses its own scope, so its own DbContext.
/// </summary>
public sealed class PasswordConfirmation(IServiceScopeFactory scopes)
{
    public const string WrongPasswordMessage = "Wrong password.";

    public async Task<bool> NeedsCodeAsync(string userName)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetService<UserManager<IdentityUser>>();
        var user = users is null ? null : await users.FindByNameAsync(userName).ConfigureAwait(false);
        return user is not null && await users!.GetTwoFactorEnabledAsync(user).ConfigureAwait(false);
    }

    /// <returns>Null when confirmed; otherwise the reason for the person.</returns>
    public async Task<string?> CheckAsync(string userName, string? password, string? code)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetService<UserManager<IdentityUser>>();
        if (users is null)
        {
            return "Accounts are not available in this process, so no private key can be released here.";
        }

        var user = await users.FindByNameAsync(userName).ConfigureAwait(false);
        if (user is null)
        {
            return "Your account was not found; sign in again.";
        }

        if (await users.IsLockedOutAsync(user).ConfigureAwait(false))
        {
            return "Too many wrong attempts: the account is locked for a while. Try again later.";
        }

        if (string.IsNullOrEmpty(password) || !await users.CheckPasswordAsync(user, password).ConfigureAwait(false))
        {
            await users.AccessFailedAsync(user).ConfigureAwait(false);
            return WrongPasswordMessage;
        }

        if (await users.GetTwoFactorEnabledAsync(user).ConfigureAwait(false)
            && !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, LoginService.NormaliseCode(code)).ConfigureAwait(false))
        {
            await users.AccessFailedAsync(user).ConfigureAwait(false);
            return LoginOutcome.WrongCodeMessage;
        }

        await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
        return null;
    }
}
