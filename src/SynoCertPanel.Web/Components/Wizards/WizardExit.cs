namespace SynoCertPanel.Web.Components.Wizards;

/// <summary>
/// Where a wizard's Cancel returns: the page that opened it, named in its <c>?back=</c> address parameter. Only the
/// panel's own pages that open wizards are accepted, so a crafted link cannot send Cancel to another site.
/// </summary>
public static class WizardExit
{
    public const string Certificates = "/";
    public const string Requests = "/requests";
    public const string Authorities = "/authorities";

    private static readonly string[] Known = [Certificates, Requests, Authorities];

    public static string Href(string? back, string fallback = Certificates) =>
        back is not null && Known.Contains(back, StringComparer.Ordinal) ? back : fallback;
}
