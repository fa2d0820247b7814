namespace SynoCertPanel.Web.Auth;

internal static class BrowserRequests
{
    /// <summary>
    /// A page load that a redirect helps (to /login, /reauthenticate). Scripts, the hub and API calls get a
    /// status code instead: a redirect to an HTML form is useless to them and hides the reason.
    /// </summary>
    public static bool IsNavigation(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase)
        && request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    public static string PathAndQuery(HttpRequest request) => $"{request.PathBase}{request.Path}{request.QueryString}";
}
