using Microsoft.AspNetCore.Authorization;

namespace SynoCertPanel.Web.Auth;

/// <summary>The fallback for every endpoint without its own policy: a signed-in user, or a public path.</summary>
public sealed class PanelAccessRequirement : IAuthorizationRequirement;

internal sealed class PanelAccessHandler : AuthorizationHandler<PanelAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PanelAccessRequirement requirement)
    {
        if (context.User.Identities.Any(i => i.IsAuthenticated)
            || (context.Resource is HttpContext http && PublicPaths.IsPublic(http)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
