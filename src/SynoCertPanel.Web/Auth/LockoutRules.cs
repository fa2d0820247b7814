using Microsoft.AspNetCore.Identity;

namespace SynoCertPanel.Web.Auth;

/// <summary>Lockout rules shared by Identity and the decoy lockout for unknown names.</summary>
public static class LockoutRules
{
    public const int MaxFailedAttempts = 5;

    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);

    internal static void Apply(LockoutOptions options)
    {
        options.MaxFailedAccessAttempts = MaxFailedAttempts;
        options.DefaultLockoutTimeSpan = LockoutTime;
        options.AllowedForNewUsers = true;
    }

    internal static UnknownNameLockout CreateUnknownNameLockout(IServiceProvider services) =>
        new(services.GetRequiredService<TimeProvider>(), MaxFailedAttempts, LockoutTime);
}
