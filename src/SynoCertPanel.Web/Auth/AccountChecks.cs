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
}
