namespace SynoCertPanel.Web.Protection;

/// <summary>Adds the protective headers to every response, including redirects, errors and 401s.</summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, ProtectionOptions options)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // An endpoint that set a stricter policy of its own (the trust page) keeps it.
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = PanelContentSecurityPolicy.For(context.Request.Host);
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
