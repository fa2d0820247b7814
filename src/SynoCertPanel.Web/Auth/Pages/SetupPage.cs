using Microsoft.AspNetCore.Identity;
using static SynoCertPanel.Web.Auth.Pages.PanelPage;

namespace SynoCertPanel.Web.Auth.Pages;

/// <summary>/setup: creates the admin account with the token from the log; gone (404) once an account exists.</summary>
internal static class SetupPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/setup", (HttpContext context, SetupToken token) => token.IsOpen ? SetupForm(context, "admin", Problems.None) : NotFoundPage.For(context))
            .AllowAnonymous();
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

            var user = new IdentityUser(userName);
            var presented = form["SetupToken"].ToString();
            var tokenMatches = token.Matches(presented);
            var problems = await CheckAsync(signIn.UserManager, user, tokenMatches, password, form["ConfirmPassword"].ToString()).ConfigureAwait(false);
            if (problems.Any)
            {
                // A right token stays in its field, so fixing another field does not mean copying it from the log again.
                return SetupForm(context, userName, problems, tokenMatches ? presented : null);
            }

            var created = await signIn.UserManager.CreateAsync(user, password).ConfigureAwait(false);
            if (!created.Succeeded)
            {
                return SetupForm(context, userName, new Problems { General = string.Join(" ", created.Errors.Select(e => e.Description)) }, presented);
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

    /// <summary>Every problem with the form at once, each for its field, before anything is stored.</summary>
    private static async Task<Problems> CheckAsync(UserManager<IdentityUser> users, IdentityUser user, bool tokenMatches, string password, string confirmation)
    {
        var problems = new Problems();
        if (!tokenMatches)
        {
            problems.Fields["SetupToken"] = "That is not the setup token. Copy it from the panel's log (the line that says \"No account exists yet\").";
        }

        if (string.IsNullOrEmpty(user.UserName))
        {
            problems.Fields["UserName"] = "Choose a user name.";
        }
        else
        {
            await AddAsync(problems, "UserName", users.UserValidators.Select(v => v.ValidateAsync(users, user))).ConfigureAwait(false);
        }

        await AddAsync(problems, "Password", users.PasswordValidators.Select(v => v.ValidateAsync(users, user, password))).ConfigureAwait(false);
        if (password != confirmation)
        {
            problems.Fields["ConfirmPassword"] = "The two passwords differ.";
        }

        return problems;
    }

    private static async Task AddAsync(Problems problems, string field, IEnumerable<Task<IdentityResult>> checks)
    {
        var errors = new List<string>();
        foreach (var check in checks)
        {
            errors.AddRange((await check.ConfigureAwait(false)).Errors.Select(e => e.Description));
        }

        if (errors.Count > 0)
        {
            problems.Fields[field] = string.Join(" ", errors);
        }
    }

    private static IResult SetupForm(HttpContext context, string userName, Problems problems, string? setupToken = null)
    {
        string? For(string field) => problems.Fields.GetValueOrDefault(field);
        return Html("Set up SynoCertPanel", Summary(problems)
            + "<p>Create the admin account. The setup token is printed in the panel's log.</p>"
            + Form(context, "/setup",
                Field("Setup token", "SetupToken", "text", "off", setupToken, autofocus: true, error: For("SetupToken"))
                + Field("User name", "UserName", "text", "username", userName, error: For("UserName"))
                + Field("Password (at least 12 characters)", "Password", "password", "new-password", error: For("Password"))
                + Field("Password again", "ConfirmPassword", "password", "new-password", error: For("ConfirmPassword")),
                "Create account"),
            problems.Any ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    /// <summary>One alert naming every problem, each a link to its field; the fields say it again beside them.</summary>
    private static string Summary(Problems problems)
    {
        if (!problems.Any)
        {
            return string.Empty;
        }

        var items = problems.Fields.Select(p => $"<li><a href=\"#{E(p.Key)}\">{E(p.Value)}</a></li>");
        var general = problems.General is null ? string.Empty : $"<p>{E(problems.General)}</p>";
        var count = problems.Fields.Count;
        var heading = count switch
        {
            0 => string.Empty,
            1 => "<p>Nothing was created. Fix this and send the form again:</p>",
            _ => $"<p>Nothing was created. Fix these {count} problems and send the form again:</p>",
        };
        return Alert("error", general + heading + (count == 0 ? string.Empty : $"<ul data-testid=\"setup-problems\">{string.Concat(items)}</ul>"), "alert");
    }

    private sealed class Problems
    {
        public static Problems None { get; } = new();

        /// <summary>Field name → what is wrong with it, in the form's order.</summary>
        public Dictionary<string, string> Fields { get; } = [];

        public string? General { get; init; }

        public bool Any => Fields.Count > 0 || General is not null;
    }
}
