using Microsoft.AspNetCore.Authorization;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary>A token with this scope.</summary>
public sealed record ApiScopeRequirement(string Scope) : IAuthorizationRequirement;

internal sealed class ApiScopeHandler : AuthorizationHandler<ApiScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiScopeRequirement requirement)
    {
        // Only a token's identity counts: a scope claim on any other identity (none has one today) must not open the API.
        if (context.User.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == ApiTokenDefaults.Scheme
            && i.HasClaim(ApiTokenDefaults.ScopeClaim, requirement.Scope)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>One authorization policy per scope, named <c>api:SCOPE</c>, each authenticating with the token scheme alone.</summary>
public static class ApiScopePolicies
{
    /// <summary>Any live token, whatever its scopes: for answers that reveal nothing, such as "no such call".</summary>
    public const string AnyToken = "api-any-token";

    private const string Prefix = "api:";

    public static string For(string scope) => Prefix + scope;

    internal static void Add(AuthorizationBuilder authorization)
    {
        authorization.AddPolicy(AnyToken, policy => policy.AddAuthenticationSchemes(ApiTokenDefaults.Scheme).RequireAuthenticatedUser());
        foreach (var scope in ApiScopes.All)
        {
            authorization.AddPolicy(For(scope), policy => policy
                .AddAuthenticationSchemes(ApiTokenDefaults.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new ApiScopeRequirement(scope)));
        }
    }

    /// <summary>The endpoint needs a token with <paramref name="scope"/>; a cookie never satisfies it.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(For(scope));

    /// <summary>The scopes the current endpoint's policies ask for, to name them in a 403.</summary>
    internal static IEnumerable<string> RequiredScopes(HttpContext context) =>
        RequiredScopes(context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>() ?? []);

    /// <summary>The scopes that an endpoint with this metadata asks for (the OpenAPI document names them per operation).</summary>
    internal static IEnumerable<string> RequiredScopes(IEnumerable<object> metadata) =>
        metadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy)
            .OfType<string>()
            .Where(p => p.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(p => p[Prefix.Length..])
            .Distinct(StringComparer.Ordinal);
}
