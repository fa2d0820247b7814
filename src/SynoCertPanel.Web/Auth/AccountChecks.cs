using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace SynoCertPanel.Web.Auth;

/// <summary>The signed-in account as the settings page shows it.</summary>
public sealed record AccountSummary(string UserName, bool TwoFactorEnabled);

/// <summary>
/// Account questions the interactive pages ask. Each call opens its own scope, so no UserManager (and its
/// DbContext) lives as long as a circuit.
/// </summary>
public sealed class AccountChecks(IServiceScopeFactory scopes)
{
    public async Task<AccountSummary?> DescribeAsync(ClaimsPrincipal principal)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = await users.GetUserAsync(principal).ConfigureAwait(false);
            return user is null
                ? null
                : new AccountSummary(user.UserName ?? string.Empty, await users.GetTwoFactorEnabledAsync(user).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// The account password typed again before something as sensitive as a backup. Failures count towards the
    /// account's lockout, as at the login page, so this is no side door for guessing.
    /// </summary>
    public async Task<Result<bool>> ConfirmPasswordAsync(ClaimsPrincipal principal, string? password)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = await users.GetUserAsync(principal).ConfigureAwait(false);
            if (user is null)
            {
                return Result.Failure<bool>("The signed-in account no longer exists.");
            }

            if (await users.IsLockedOutAsync(user).ConfigureAwait(false))
            {
                return Result.Failure<bool>("The account is locked after too many wrong passwords; try again later.");
            }

            if (string.IsNullOrEmpty(password) || !await users.CheckPasswordAsync(user, password).ConfigureAwait(false))
            {
                if (!string.IsNullOrEmpty(password))
                {
                    await users.AccessFailedAsync(user).ConfigureAwait(false);
                }

                return Result.Failure<bool>("The account password is wrong.");
            }

            await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
            return Result.Success(true);
        }
    }
}
