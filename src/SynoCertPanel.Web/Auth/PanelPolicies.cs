namespace SynoCertPanel.Web.Auth;

/// <summary>Authorization policy names for pages and endpoints (<c>[Authorize(Policy = PanelPolicies.RecentLogin)]</c>).</summary>
public static class PanelPolicies
{
    /// <summary>Signed in, and the password was entered within <see cref="RecentLoginWindow"/>: for private-key downloads.</summary>
    public const string RecentLogin = "RequireRecentLogin";

    /// <summary>Long enough to finish an export after signing in again, short enough that an unattended tab cannot leak keys.</summary>
    public static readonly TimeSpan RecentLoginWindow = TimeSpan.FromMinutes(5);
}

public static class RecentLoginEndpointExtensions
{
    /// <summary>Demands a recent re-authentication; a browser is sent to /reauthenticate and comes back.</summary>
    public static TBuilder RequireRecentLogin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(PanelPolicies.RecentLogin);
}
