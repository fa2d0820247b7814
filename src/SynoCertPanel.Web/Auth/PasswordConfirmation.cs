using Microsoft.AspNetCore.Identity;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// The account password asked again inside a page before a private key leaves (the export dialog). A failure counts
/// toward the same lockout as the sign-in form, and a locked account is refused without looking at the password,
/// so the dialog cannot be used to guess the password around the login's limit.
/// </summary>
public sealed class PasswordConfirmation(IServiceScopeFactory scopes, TimeProvider time)
{
    public const string WrongPasswordMessage = "Wrong password: enter the password you sign in with.";

    /// <returns>The confirmed user name, or the sentence to show (wrong password, locked out).</returns>
    public async Task<Result<string>> ConfirmAsync(string userName, string? password)
    {
        // Identity's stores hold a DbContext: one scope per check, never one per circuit.
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = await users.FindByNameAsync(userName).ConfigureAwait(false);
            if (user is null)
            {
                return Result.Failure<string>("The signed-in account no longer exists; sign in again.");
            }

            if (await LockedMessageAsync(users, user).ConfigureAwait(false) is { } locked)
            {
                return Result.Failure<string>(locked);
            }

            if (!string.IsNullOrEmpty(password) && await users.CheckPasswordAsync(user, password).ConfigureAwait(false))
            {
                await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
                return Result.Success(user.UserName ?? userName);
            }

            await users.AccessFailedAsync(user).ConfigureAwait(false);
            return Result.Failure<string>(await LockedMessageAsync(users, user).ConfigureAwait(false) ?? WrongPasswordMessage);
        }
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
