using Scalar.AspNetCore;
using SynoCertPanel.Web.Protection;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// Scalar's interactive reader of <see cref="ApiDocument"/>, for signed-in users: like every page it falls under the
/// panel's fallback policy (the sign-in cookie), so a token does not open it. Everything it loads comes from the panel
/// itself (Scalar.AspNetCore serves its script from the package), because a panel on a home network may have no Internet.
/// </summary>
internal static class ApiReference
{
    public const string Path = "/api/reference";

    public static void Map(WebApplication app)
    {
        // The page starts Scalar with an inline module script: it carries a fresh nonce, and this path's policy allows that
        // nonce and nothing else inline. 'unsafe-eval' stays out: the bundle only probes for it (Zod) and works without. Registered before the endpoint runs, so it is called before the panel's own
        // header callback (the last registered runs first), which then keeps it.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase), branch => branch.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce)
                {
                    context.Response.Headers.ContentSecurityPolicy = PanelContentSecurityPolicy.ForScriptNonce(context.Request.Host, nonce);
                }

                return Task.CompletedTask;
            });
            return next(context);
        }));
        app.MapScalarApiReference(Path, options => options
            .WithTitle("SynoCertPanel API")
            .WithOpenApiRoutePattern(ApiDocument.Path)
            .WithNonce()
            // Each of these would reach a server on the Internet: fonts from Scalar's CDN, telemetry, the AI agent, MCP,
            // and the toolbar's share, deploy and SDK buttons (shown when the page is opened on localhost).
            .HideDeveloperTools()
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .AddPreferredSecuritySchemes([ApiDocument.SecurityScheme]));
    }
}
