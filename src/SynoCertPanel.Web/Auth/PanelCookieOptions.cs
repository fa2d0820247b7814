using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// Every Identity cookie is Secure, HttpOnly and SameSite=Strict; the session cookie also has the __Host-
/// prefix (no Domain, path /, HTTPS only), so another host on the LAN cannot set or read it.
/// </summary>
internal sealed class PanelCookieOptions(TimeProvider time) : IConfigureNamedOptions<CookieAuthenticationOptions>
{
    public const string SessionCookieName = "__Host-synocert";

    /// <summary>A working day; each request slides it on.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public void Configure(CookieAuthenticationOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, CookieAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TimeProvider = time;
        options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        if (name != IdentityConstants.ApplicationScheme)
        {
            return;
        }

        options.Cookie.Name = SessionCookieName;
        options.LoginPath = "/login";
        options.LogoutPath = "/logout";
        options.AccessDeniedPath = "/login";
        options.ExpireTimeSpan = SessionLifetime;
        options.SlidingExpiration = true;
        // Identity put the security-stamp check in Events; keep that object and change only the redirects.
        options.Events.OnValidatePrincipal = CheckSessionThen(options.Events.OnValidatePrincipal);
        options.Events.OnRedirectToLogin = context => StatusOrRedirect(context.Request, context.Response, context.RedirectUri, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => StatusOrRedirect(context.Request, context.Response, context.RedirectUri, StatusCodes.Status403Forbidden);
    }

    /// <summary>
    /// Every request checks the session (<see cref="PanelSessions.IsCurrentAsync"/>: one small query) before
    /// Identity's periodic stamp check, which also renews the cookie and so is kept to its interval: a
    /// password change or a logout refuses other copies of the cookie from the very next request.
    /// </summary>
    private static Func<CookieValidatePrincipalContext, Task> CheckSessionThen(Func<CookieValidatePrincipalContext, Task> identityCheck) =>
        async context =>
        {
            var sessions = context.HttpContext.RequestServices.GetRequiredService<PanelSessions>();
            if (context.Principal is null || !await sessions.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted).ConfigureAwait(false))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme).ConfigureAwait(false);
                return;
            }

            await identityCheck(context).ConfigureAwait(false);
        };

    private static Task StatusOrRedirect(HttpRequest request, HttpResponse response, string redirectUri, int status)
    {
        if (BrowserRequests.IsNavigation(request))
        {
            response.Redirect(redirectUri);
        }
        else
        {
            response.StatusCode = status;
        }

        return Task.CompletedTask;
    }
}
