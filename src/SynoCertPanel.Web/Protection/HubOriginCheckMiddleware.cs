namespace SynoCertPanel.Web.Protection;

/// <summary>
/// Refuses a request to the Blazor hub that a page on another origin started. Browsers send cookies with a
/// cross-site WebSocket (SameSite does not cover every case, and WebSockets ignore CORS), so without this a
/// page elsewhere could drive the panel with the admin's session. Requests without Origin come from
/// non-browser clients, which have no ambient cookie to abuse.
/// </summary>
internal sealed class HubOriginCheckMiddleware(RequestDelegate next)
{
    public static readonly PathString HubPath = "/_blazor";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments(HubPath, StringComparison.OrdinalIgnoreCase)
            && request.Headers.Origin is { Count: > 0 } origin
            && !IsSameOrigin(origin.ToString(), request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsync("Cross-origin connections to the panel are refused.");
        }

        return next(context);
    }

    internal static bool IsSameOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !request.Host.HasValue)
        {
            return false;
        }

        var host = request.Host;
        var port = host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.IdnHost.Trim('[', ']'), host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            && uri.Port == port;
    }
}
