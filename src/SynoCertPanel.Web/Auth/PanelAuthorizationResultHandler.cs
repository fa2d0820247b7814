using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// A signed-in user refused only for want of a recent login is asked to sign in again (browser) or told so
/// (403 with a message), instead of Identity's generic access-denied page.
/// </summary>
internal sealed class PanelAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RecentLoginRequirement>().Any() == true)
        {
            if (BrowserRequests.IsNavigation(context.Request))
            {
                context.Response.Redirect("/reauthenticate?ReturnUrl=" + Uri.EscapeDataString(BrowserRequests.PathAndQuery(context.Request)));
                return;
            }

            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("Enter your password again at /reauthenticate: this needs a sign-in from the last few minutes.").ConfigureAwait(false);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }
}
