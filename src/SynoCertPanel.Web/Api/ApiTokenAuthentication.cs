using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary>The API's own authentication scheme and the claims of a token's principal.</summary>
public static class ApiTokenDefaults
{
    public const string Scheme = "ApiToken";

    public const string TokenIdClaim = "synocert:token-id";

    /// <summary>One claim per granted scope, named as in RFC 8693's "scope" claim.</summary>
    public const string ScopeClaim = "scope";

    /// <summary>How the audit log names a change made with a token: by the token's name, marked so no account name is mistaken for it.</summary>
    public static string Actor(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return "token:" + (user.Identity?.Name ?? "unknown");
    }
}

/// <summary>
/// Reads <c>Authorization: Bearer scp_…</c>. It is never the default scheme: the pages authenticate with the cookie only,
/// so a token opens no page, and the API's policies name this scheme only, so a cookie opens no API call.
/// A refusal is a 401 with <c>WWW-Authenticate: Bearer</c> (RFC 6750, section 3) and a problem document saying why;
/// a missing scope is a 403 naming it.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokenCheck check) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    private string _refusal = "No API token: send one as \"Authorization: Bearer scp_…\" (make one with `synocertpanel token create`).";
    private bool _tokenGiven;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        _tokenGiven = true;
        var header = headers.Count == 1 ? headers[0] : null;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            _refusal = "The Authorization header is not one \"Bearer <token>\" (Basic and other schemes are not accepted here).";
            return AuthenticateResult.Fail(_refusal);
        }

        var result = await check.CheckAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (!result.IsValid)
        {
            _refusal = result.Message!;
            return AuthenticateResult.Fail(_refusal);
        }

        var token = result.Token!;
        var identity = new ClaimsIdentity(Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ApiTokenDefaults.TokenIdClaim, token.Id.ToString(CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(ClaimTypes.Name, token.Name));
        foreach (var scope in token.Scopes)
        {
            identity.AddClaim(new Claim(ApiTokenDefaults.ScopeClaim, scope));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The policy has authenticated already (the result is kept per request); this makes sure the reason is known.
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        // No error code when no token came at all (RFC 6750, section 3.1).
        Response.Headers.WWWAuthenticate = _tokenGiven ? "Bearer error=\"invalid_token\"" : "Bearer";
        await ApiProblems.Write(Context, StatusCodes.Status401Unauthorized, "Not authenticated", _refusal).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var held = Context.User.FindAll(ApiTokenDefaults.ScopeClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var missing = ApiScopePolicies.RequiredScopes(Context).Where(s => !held.Contains(s)).ToList();
        var scopes = string.Join(' ', missing);
        Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{scopes}\"";
        await ApiProblems.Write(Context, StatusCodes.Status403Forbidden, "Missing scope",
            missing.Count == 0
                ? "This token may not make this call."
                : $"This token lacks the scope {string.Join(" and ", missing)}, which {Request.Method} {Request.Path} needs; make a token that has it.")
            .ConfigureAwait(false);
    }
}
