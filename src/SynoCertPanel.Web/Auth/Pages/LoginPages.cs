using Microsoft.AspNetCore.Identity;
using static SynoCertPanel.Web.Auth.Pages.PanelPage;

namespace SynoCertPanel.Web.Auth.Pages;

/// <summary>/login (password, then the authenticator code when two-factor is on) and /logout.</summary>
internal static class LoginPages
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext context, string? returnUrl) => LoginForm(context, LocalReturnUrl.Sanitize(returnUrl), null)).AllowAnonymous();
        app.MapPost("/login", SignInAsync).AllowAnonymous();
        app.MapPost("/login/two-factor", TwoFactorAsync).AllowAnonymous();
        app.MapPost("/logout", SignOutAsync);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, LoginService login)
    {
        var form = await ReadValidatedFormAsync(context).ConfigureAwait(false);
        if (form is null)
        {
            return FormRefused();
        }

        var returnUrl = LocalReturnUrl.Sanitize(form["ReturnUrl"]);
        var userName = form["UserName"].ToString().Trim();
        var password = form["Password"].ToString();
        if (userName.Length == 0 || password.Length == 0)
        {
            return LoginForm(context, returnUrl, "Enter your user name and password.", StatusCodes.Status400BadRequest);
        }

        var outcome = await login.PasswordSignInAsync(userName, password).ConfigureAwait(false);
        return outcome.Status switch
        {
            LoginStatus.SignedIn => Results.LocalRedirect(returnUrl),
            LoginStatus.NeedsTwoFactorCode => CodeForm(context, returnUrl, null),
            _ => LoginForm(context, returnUrl, outcome.Message, StatusCodes.Status400BadRequest),
        };
    }

    private static async Task<IResult> TwoFactorAsync(HttpContext context, LoginService login)
    {
        var form = await ReadValidatedFormAsync(context).ConfigureAwait(false);
        if (form is null)
        {
            return FormRefused();
        }

        var returnUrl = LocalReturnUrl.Sanitize(form["ReturnUrl"]);
        var outcome = await login.TwoFactorSignInAsync(form["Code"].ToString()).ConfigureAwait(false);
        return outcome?.Status switch
        {
            null => LoginForm(context, returnUrl, "The sign-in took too long. Enter your password again.", StatusCodes.Status400BadRequest),
            LoginStatus.SignedIn => Results.LocalRedirect(returnUrl),
            _ => CodeForm(context, returnUrl, outcome.Message, StatusCodes.Status400BadRequest),
        };
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, SignInManager<IdentityUser> signIn, PanelSessions sessions)
    {
        if (await ReadValidatedFormAsync(context).ConfigureAwait(false) is null)
        {
            return FormRefused();
        }

        await sessions.EndAsync(context.User).ConfigureAwait(false);
        await signIn.SignOutAsync().ConfigureAwait(false);
        return Results.Redirect("/login");
    }

    private static IResult LoginForm(HttpContext context, string returnUrl, string? error, int status = StatusCodes.Status200OK) =>
        Html("Sign in", Error(error) + SetupPending(context) + Form(context, "/login",
            Hidden("ReturnUrl", returnUrl)
            + Field("User name", "UserName", "text", "username", autofocus: true)
            + Field("Password", "Password", "password", "current-password"),
            "Sign in"), status);

    /// <summary>Until the admin account exists nobody can sign in: say so, and where to create it.</summary>
    private static string SetupPending(HttpContext context) =>
        context.RequestServices.GetRequiredService<SetupToken>().IsOpen
            ? Alert("info", "No account exists yet. <a href=\"/setup\" class=\"panel-public-link\" data-testid=\"setup-link\">Set up the panel</a> "
                + "with the setup token from the panel's log.")
            : string.Empty;

    private static IResult CodeForm(HttpContext context, string returnUrl, string? error, int status = StatusCodes.Status200OK) =>
        Html("Two-factor code", Error(error) + "<p>Enter the 6-digit code from your authenticator app.</p>" + Form(context, "/login/two-factor",
            Hidden("ReturnUrl", returnUrl)
            + Field("Code", "Code", "text", "one-time-code", autofocus: true),
            "Sign in"), status);
}
