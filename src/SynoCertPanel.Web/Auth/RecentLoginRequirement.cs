using System.Globalization;
using Microsoft.AspNetCore.Authorization;

namespace SynoCertPanel.Web.Auth;

public sealed class RecentLoginRequirement(TimeSpan maxAge) : IAuthorizationRequirement
{
    public TimeSpan MaxAge { get; } = maxAge;
}

internal sealed class RecentLoginHandler(TimeProvider time) : AuthorizationHandler<RecentLoginRequirement>
{
    /// <summary>Tolerates a clock that stepped back a little since the sign-in; a claim from the future beyond that is refused.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RecentLoginRequirement requirement)
    {
        var value = context.User.FindFirst(PanelClaims.LastAuthenticatedAt)?.Value;
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
            if (age <= requirement.MaxAge && age >= -ClockSkew)
            {
                context.Succeed(requirement);
            }
        }

        return Task.CompletedTask;
    }
}
