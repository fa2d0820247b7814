namespace SynoCertPanel.Web.Auth;

/// <summary>Claims the panel adds to every sign-in, beside the ones Identity puts there.</summary>
public static class PanelClaims
{
    /// <summary>
    /// Unix seconds of the moment the person last proved who they are (password, and code when two-factor
    /// is on). Key downloads compare it with the clock; a refreshed cookie keeps the original value.
    /// </summary>
    public const string LastAuthenticatedAt = "synocert:last_authenticated_at";

    /// <summary>A fresh random id per sign-in, so every login is a new session and logs can tell them apart.</summary>
    public const string SessionId = "synocert:session_id";
}
