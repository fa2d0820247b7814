using System.Globalization;
using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Web.Components.Acme;

/// <summary>How the ACME page words a policy, as <c>acme show</c> does.</summary>
public static class AcmeText
{
    public static string Lifetime(TimeSpan lifetime) =>
        lifetime.TotalHours % 24 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalDays:0} days")
            : string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalHours:0} hours");

    /// <summary>The names and ranges a policy issues for, or "nothing".</summary>
    public static string Names(AcmePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var names = string.Join(", ", [.. policy.AllowedNames.PermittedDnsSuffixes, .. policy.AllowedNames.PermittedIpRanges.Select(r => r.ToString())]);
        return names.Length == 0 ? "nothing" : names;
    }

    public static string Challenges(AcmePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return string.Join(", ", AcmeChallengeTypes.All.Where(policy.Challenges.Contains));
    }

    /// <summary>The directory URL as a client on the browser's network reaches the panel.</summary>
    public static string DirectoryUrl(string baseUri, int authorityId) =>
        new AcmeUrls(baseUri.TrimEnd('/') + AcmeUrls.PathPrefix(authorityId)).Directory;

    public static string CrlUrl(string baseUri, int authorityId) =>
        new AcmeUrls(baseUri.TrimEnd('/') + AcmeUrls.PathPrefix(authorityId)).Crl;

    public static string Contact(IReadOnlyList<string> contact) =>
        contact.Count == 0 ? "(none)" : string.Join(", ", contact.Select(c => c.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? c[7..] : c));
}
