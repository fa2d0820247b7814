using Microsoft.AspNetCore.StaticAssets;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// What anyone may fetch without signing in: health, the public trust page (root CA certificates only), the API's
/// OpenAPI document (the shape of the calls, no data) and static assets. Decided here by path rather than by each endpoint's <c>AllowAnonymous</c>, so a trust or
/// health endpoint stays public however and wherever it is mapped, and nothing else is public by accident.
/// </summary>
public static class PublicPaths
{
    public static bool IsPublic(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path;
        return path.Equals("/health", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/trust", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_content", StringComparison.OrdinalIgnoreCase)
            || path.Equals(Api.ApiDocument.Path, StringComparison.OrdinalIgnoreCase)
            || path.Equals("/favicon.ico", StringComparison.OrdinalIgnoreCase)
            || path.Equals("/favicon.svg", StringComparison.OrdinalIgnoreCase)
            || path.Equals("/logo.svg", StringComparison.OrdinalIgnoreCase)
            || path.Equals("/app.css", StringComparison.OrdinalIgnoreCase)
            || path.Equals(Components.Layout.PanelThemeStylesheet.Path, StringComparison.OrdinalIgnoreCase)
            || path.Equals(Pages.PublicPageFrame.Stylesheet, StringComparison.OrdinalIgnoreCase)
            || context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is not null;
    }
}
