namespace SynoCertPanel.Web.Auth;

/// <summary>Where to go after signing in: only a path on this panel, so a crafted link cannot send a fresh session elsewhere.</summary>
internal static class LocalReturnUrl
{
    public static string Sanitize(string? url) =>
        url is { Length: > 0 and <= 2000 }
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl)
            ? url
            : "/";
}
