using Microsoft.AspNetCore.Identity;
using static SynoCertPanel.Web.Auth.Pages.PanelPage;

namespace SynoCertPanel.Web.Auth.Pages;

/// <summary>/reauthenticate: the password again (and the code, with two-factor on) before a key download.</summary>
internal static class ReauthenticatePage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/reauthenticate", async (HttpContext context, UserManager<IdentityUser> users, string? returnUrl) =>
        {
            var user = await users.GetUserAsync(context.User).ConfigureAwait(false);
            return user is null
                ? Results.Redirect("/login")
                : ReauthenticateForm(context, LocalReturnUrl.Sanitize(returnUrl), await users.GetTwoFactorEnabledAsync(user).ConfigureAwait(false), null);
        });
        app.MapPost("/reauthenticate", ConfirmAsync);
    }

    private static async Task<IResult> ConfirmAsync(HttpContext context, UserManager<IdentityUser> users, LoginService login)
    {
        var form = await ReadValidatedFormAsync(context).ConfigureAwait(false);
        if (form is null)
        {
            return FormRefused();
        }

        var user = await users.GetUserAsync(context.User).ConfigureAwait(false);
        if (user is null)
        {
            return Results.Redirect("/login");
        }

        var returnUrl = LocalReturnUrl.Sanitize(form["ReturnUrl"]);
        var outcome = await login.ReauthenticateAsync(user, form["Password"].ToString(), form["Code"]).ConfigureAwait(false);
        return outcome.Status == LoginStatus.SignedIn
            ? Results.LocalRedirect(returnUrl)
            : ReauthenticateForm(context, returnUrl, await users.GetTwoFactorEnabledAsync(user).ConfigureAwait(false), outcome.Message);
    }

    private static IResult ReauthenticateForm(HttpContext context, string returnUrl, bool askCode, string? error) =>
        Html("Confirm it is you", Error(error)
            + "<p>Private keys leave the panel only after you enter your password again.</p>"
            + Form(context, "/reauthenticate",
                Hidden("ReturnUrl", returnUrl)
                + Field("Password", "Password", "password", "current-password", autofocus: true)
                + (askCode ? Field("Authenticator code", "Code", "text", "one-time-code") : string.Empty),
                "Continue"),
            error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, PublicPageFrame.BarLink("/", "Back to the panel", "back-to-panel"));
}
