using Microsoft.AspNetCore.Identity;
using static SynoCertPanel.Web.Auth.Pages.PanelPage;

namespace SynoCertPanel.Web.Auth.Pages;

/// <summary>/account/password: a new password ends every other session and its circuits at once (new security stamp); this one stays.</summary>
internal static class PasswordPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/account/password", (HttpContext context) => PasswordForm(context, null));
        app.MapPost("/account/password", ChangeAsync);
    }

    private static async Task<IResult> ChangeAsync(HttpContext context, SignInManager<IdentityUser> signIn, PanelSessions sessions)
    {
        var form = await ReadValidatedFormAsync(context).ConfigureAwait(false);
        if (form is null)
        {
            return FormRefused();
        }

        var user = await signIn.UserManager.GetUserAsync(context.User).ConfigureAwait(false);
        if (user is null)
        {
            return Results.Redirect("/login");
        }

        var newPassword = form["NewPassword"].ToString();
        if (newPassword != form["ConfirmPassword"].ToString())
        {
            return PasswordForm(context, "The two new passwords differ.");
        }

        var changed = await signIn.UserManager.ChangePasswordAsync(user, form["CurrentPassword"].ToString(), newPassword).ConfigureAwait(false);
        if (!changed.Succeeded)
        {
            return PasswordForm(context, string.Join(" ", changed.Errors.Select(e =>
                e.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "The current password is wrong." : e.Description)));
        }

        await signIn.RefreshSignInAsync(user).ConfigureAwait(false);
        await sessions.RevalidateCircuitsAsync(user.Id, context.User.FindFirst(PanelClaims.SessionId)?.Value).ConfigureAwait(false);
        return Html("Password changed", "<p>Your password is changed. Every other signed-in browser is signed out.</p><p><a href=\"/\" class=\"panel-public-link\">Back to the panel</a></p>",
            barLinks: BackToThePanel);
    }

    private static IResult PasswordForm(HttpContext context, string? error) =>
        Html("Change password", Error(error) + Form(context, "/account/password",
            Field("Current password", "CurrentPassword", "password", "current-password", autofocus: true)
            + Field("New password (at least 12 characters)", "NewPassword", "password", "new-password")
            + Field("New password again", "ConfirmPassword", "password", "new-password"),
            "Change password")
            + Form(context, "/logout", string.Empty, "Sign out", primary: false),
            error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, BackToThePanel);

    private static string BackToThePanel => PublicPageFrame.BarLink("/", "Back to the panel", "back-to-panel");
}
