using Microsoft.AspNetCore.Identity;

namespace SynoCertPanel.Web.Auth;

/// <summary>The account rules, shared by the panel and `admin reset-password` so both accept the same passwords.</summary>
public static class PanelIdentityOptions
{
    public static void Apply(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        LockoutRules.Apply(options.Lockout);
        // Length over composition rules: NIST SP 800-63B §5.1.1.2.
        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
    }
}
