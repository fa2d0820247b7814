using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// Identity's sign-in manager, stamping every sign-in (password, two-factor, re-authentication, refresh
/// after a password change) with a new session id and the time of authentication. All of Identity's
/// sign-in paths end in <see cref="SignInWithClaimsAsync"/>, so this is the one place to do it.
/// </summary>
public sealed class PanelSignInManager(
    UserManager<IdentityUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<IdentityUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<IdentityUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<IdentityUser> confirmation,
    TimeProvider time)
    : SignInManager<IdentityUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private bool _refreshing;

    /// <summary>
    /// Re-issues the cookie of the current session (after a password or two-factor change renewed the
    /// security stamp) without making it look like a fresh login: session id and authentication time stay.
    /// </summary>
    public override async Task RefreshSignInAsync(IdentityUser user)
    {
        _refreshing = true;
        try
        {
            await base.RefreshSignInAsync(user).ConfigureAwait(false);
        }
        finally
        {
            _refreshing = false;
        }
    }

    public override Task SignInWithClaimsAsync(IdentityUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        ArgumentNullException.ThrowIfNull(additionalClaims);
        var current = Context.User;
        var authenticatedAt = _refreshing ? current.FindFirst(PanelClaims.LastAuthenticatedAt)?.Value : null;
        var sessionId = _refreshing ? current.FindFirst(PanelClaims.SessionId)?.Value : null;
        var claims = additionalClaims
            .Where(c => c.Type is not (PanelClaims.LastAuthenticatedAt or PanelClaims.SessionId))
            .Append(new Claim(PanelClaims.LastAuthenticatedAt, authenticatedAt ?? time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64))
            .Append(new Claim(PanelClaims.SessionId, sessionId ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))));
        return base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }
}
