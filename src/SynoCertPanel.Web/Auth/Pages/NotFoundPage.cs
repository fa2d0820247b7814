using static SynoCertPanel.Web.Auth.Pages.PanelPage;

namespace SynoCertPanel.Web.Auth.Pages;

/// <summary>
/// What a browser gets for a path the panel does not have: a page in the panel's frame with the way back, status 404,
/// for signed-in and anonymous visitors alike. Scripts, API calls and file names keep a bare 404.
/// </summary>
internal static class NotFoundPage
{
    /// <summary>Every path no other endpoint takes (MapFallback leaves out paths that look like file names).</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapFallback(For).AllowAnonymous();

    public static IResult For(HttpContext context)
    {
        if (!BrowserRequests.IsNavigation(context.Request))
        {
            return Results.NotFound();
        }

        var signedIn = context.User.Identities.Any(i => i.IsAuthenticated);
        var (href, text) = signedIn ? ("/", "Back to the panel") : ("/login", "Sign in");
        return Html("Page not found",
            $"<p>There is no page at <code class=\"panel-mono\">{E(Display.Literal(context.Request.Path.Value ?? "/", 200))}</code>.</p>"
            + "<p>The address may be mistyped, or the page was removed in an update.</p>"
            + $"<p><a href=\"{href}\" class=\"panel-public-link\" data-testid=\"not-found-back\">{text}</a> · "
            + "<a href=\"/trust\" class=\"panel-public-link\">Trust this panel's certificates</a></p>",
            StatusCodes.Status404NotFound);
    }
}
