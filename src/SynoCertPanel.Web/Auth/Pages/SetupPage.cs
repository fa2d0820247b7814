using Microsoft.AspNetCore.Identity;
using static SynoCertPanel.Web.Auth.Pages.PanelPage;

namespace SynoCertPanel.Web.Auth.Pages;

/// <summary>/setup: creates the admin account with the token from the log; gone (404) once an account exists.</summary>
internal static class SetupPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/setup", (HttpContext context, SetupToken token) => token.IsOpen ? SetupForm(context, null) : Results.NotFound()).AllowAnonymous();
        app.MapPost("/setup", CreateAdminAsync).AllowAnonymous();
    }

    private static async Task<IResult> CreateAdminAsync(HttpContext context, SetupToken token, SignInManager<IdentityUser> signIn)
    {
        if (!token.IsOpen)
        {
            return Results.NotFound();
        }

        var form = await ReadValidatedFormAsync(context).ConfigureAwait(false);
        if (form is null)
        {
            return FormRefused();
        }

        var userName = form["UserName"].ToString().Trim();
        var password = form["Password"].ToString();
        await token.Gate.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            if (!token.IsOpen)
            {
                return Results.NotFound();
            }

            if (!token.Matches(form["SetupToken"]))
            {
                return SetupForm(context, "That is not the setup token. Copy it from the panel's log (the line that says \"No account exists yet\").", userName);
            }

            if (userName.Length == 0)
            {
                return SetupForm(context, "Choose a user name.", userName);
            }

            if (password != form["ConfirmPassword"].ToString())
            {
                return SetupForm(context, "The two passwords differ.", userName);
            }

            var user = new IdentityUser(userName);
            var created = await signIn.UserManager.CreateAsync(user, password).ConfigureAwait(false);
            if (!created.Succeeded)
            {
                return SetupForm(context, string.Join(" ", created.Errors.Select(e => e.Description)), userName);
            }

            token.Close();
            await signIn.SignInAsync(user, isPersistent: false).ConfigureAwait(false);
            return Results.LocalRedirect("/");
        }
        finally
        {
            token.Gate.Release();
        }
    }

    private static IResult SetupForm(HttpContext context, string? error, string userName = "admin") =>
        Html("Set up SynoCertPanel", Error(error)
            + "<p>Create the admin account. The setup token is printed in the panel's log.</p>"
            + Form(context, "/setup",
                Field("Setup token", "SetupToken", "text", "off", autofocus: true)
                + Field("User name", "UserName", "text", "username", userName)
                + Field("Password (at least 12 characters)", "Password", "password", "new-password")
                + Field("Password again", "ConfirmPassword", "password", "new-password"),
                "Create account"),
            error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
}
