namespace SynoCertPanel.Web.Protection;

/// <summary>Adds the protective headers to every response, including redirects, errors and 401s.</summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, ProtectionOptions options)
{
    /// <summary>
    /// Blazor Server needs its own scripts, inline style attributes (MudBlazor sets them) and a WebSocket
    /// back to this host; nothing else loads from anywhere, and no other site may frame the panel.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self' wss:; object-src 'none'; base-uri 'self'; form-action 'self'; "
        + "frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // An endpoint that set a stricter policy of its own (the trust page) keeps it.
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (options.Hsts && context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
