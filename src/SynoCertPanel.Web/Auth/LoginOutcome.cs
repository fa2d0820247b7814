namespace SynoCertPanel.Web.Auth;

public enum LoginStatus
{
    SignedIn,
    NeedsTwoFactorCode,
    WrongCredentials,
    LockedOut,
}

/// <summary>What a sign-in attempt came to, with the sentence to show the person.</summary>
public sealed record LoginOutcome(LoginStatus Status, string? Message = null)
{
    public const string WrongCredentialsMessage = "Wrong user name or password.";
    public const string WrongCodeMessage = "Wrong or expired code. Enter the current 6-digit code from your authenticator app.";

    public static LoginOutcome LockedUntil(DateTimeOffset until, DateTimeOffset now)
    {
        var minutes = (int)Math.Ceiling(Math.Max(0, (until - now).TotalMinutes));
        var wait = minutes <= 1 ? "a minute" : $"{minutes} minutes";
        return new LoginOutcome(LoginStatus.LockedOut, $"Too many failed attempts: signing in is locked. Try again in {wait}.");
    }
}
