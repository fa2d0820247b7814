using Microsoft.AspNetCore.Identity;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// The account password asked again inside an interactive page (and the code, with two-factor on) before a private
/// key or a backup leaves the panel. A page cannot renew the sign-in cookie the way /reauthenticate does, so it checks
/// the same things; a failure counts toward the same lockout as the sign-in form, and a locked account is refused
/// without looking at the password, so no page is a side door for guessing. Each check uses its own scope, so no
/// UserManager (and its DbContext) lives as long as a circuit.
/// </summary>
public sealed class PasswordConfirmation(IServiceScopeFactory scopes, TimeProvider time)
{
    public const string WrongPasswordMessage = "Wrong password: enter the password you sign in with.";

    public async Task<bool> NeedsCodeAsync(string userName)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var users = scope.ServiceProvider.GetService<UserManager<IdentityUser>>();
            var user = users is null ? null : await users.FindByNameAsync(userName).ConfigureAwait(false);
            return user is not null && await users!.GetTwoFactorEnabledAsync(user).ConfigureAwait(false);
        }
    }

    /// <returns>The confirmed user name, or the sentence to show (wrong password or code, locked out).</returns>
    public async Task<Result<string>> ConfirmAsync(string userName, string? password, string? code = null)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var users = scope.ServiceProvider.GetService<UserManager<IdentityUser>>();
            if (users is null)
            {
                return Result.Failure<string>("Accounts are not available in this process, so nothing secret can be released here.");
            }

            var user = await users.FindByNameAsync(userName).ConfigureAwait(false);
            if (user is null)
            {
                return Result.Failure<string>("The signed-in account no longer exists; sign in again.");
            }

            if (await LockedMessageAsync(users, user).ConfigureAwait(false) is { } locked)
            {
                return Result.Failure<string>(locked);
            }

            if (string.IsNullOrEmpty(password) || !await users.CheckPasswordAsync(user, password).ConfigureAwait(false))
            {
                return Result.Failure<string>(await FailAsync(users, user, WrongPasswordMessage).ConfigureAwait(false));
            }

            if (await users.GetTwoFactorEnabledAsync(user).ConfigureAwait(false)
                && !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, LoginService.NormaliseCode(code)).ConfigureAwait(false))
            {
                return Result.Failure<string>(await FailAsync(users, user, LoginOutcome.WrongCodeMessage).ConfigureAwait(false));
            }

            await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
            return Result.Success(user.UserName ?? userName);
        }
    }

    private async Task<string> FailAsync(UserManager<IdentityUser> users, IdentityUser user, string message)
    {
        await users.AccessFailedAsync(user).ConfigureAwait(false);
        return await LockedMessageAsync(users, user).ConfigureAwait(false) ?? message;
    }

    private async Task<string?> LockedMessageAsync(UserManager<IdentityUser> users, IdentityUser user)
    {
        if (!await users.IsLockedOutAsync(user).ConfigureAwait(false))
        {
            return null;
        }

        var end = await users.GetLockoutEndDateAsync(user).ConfigureAwait(false);
        return LoginOutcome.LockedUntil(end ?? time.GetUtcNow(), time.GetUtcNow()).Message;
    }
}
