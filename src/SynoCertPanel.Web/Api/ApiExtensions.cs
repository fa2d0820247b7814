using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary><c>/api/v1</c>: bearer tokens with scopes, per-token rate limits, and the endpoints.</summary>
public static class ApiExtensions
{
    public const string Prefix = "/api/v1";

    /// <summary>Call after <c>AddPanelSecurity</c>, which registers the storage and the cookie scheme this sits beside.</summary>
    public static WebApplicationBuilder AddPanelApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<ApiTokenCheck>();
        builder.Services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(
            ApiTokenDefaults.Scheme, configureOptions: null);
        ApiScopePolicies.Add(builder.Services.AddAuthorizationBuilder());
        builder.Services.AddSingleton<IAuthorizationHandler, ApiScopeHandler>();
        ApiRateLimits.Add(builder.Services, builder.Configuration);
        // Numbers are numbers: ApiJsonBody reads strictly, and the OpenAPI schemas (made from these options) must say the
        // same instead of "integer or string". Writing is unaffected.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        ApiDocument.Add(builder.Services);
        return builder;
    }

    /// <summary>Call after <c>UsePanelSecurity</c>: the rate limiter partitions by the token that authorization has just checked.</summary>
    public static WebApplication MapPanelApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRateLimiter();
        var api = app.MapGroup(Prefix).RequireRateLimiting(ApiRateLimits.Policy).WithGroupName(ApiDocument.Name)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        CertificateEndpoints.Map(api);
        ImportEndpoints.Map(api);
        ExportEndpoints.Map(api);
        CertificateChangeEndpoints.Map(api);
        SigningEndpoints.Map(api);
        RequestEndpoints.Map(api);
        AuthorityEndpoints.Map(api);
        AuditEndpoints.Map(api);
        BoxEndpoints.Map(api);
        ServiceEndpoints.Map(api);
        AlertEndpoints.Map(api);
        AcmeDirectoryEndpoints.Map(api);
        AcmeAccountEndpoints.Map(api);
        // Anything else under the prefix is a problem document too, not the pages' sign-in redirect or not-found page.
        api.Map("{**path}", (HttpRequest request) => ApiProblems.NotFound($"There is no {request.Method} {Display.Literal(request.Path.Value ?? string.Empty, 200)} in this API."))
            .RequireAuthorization(ApiScopePolicies.AnyToken)
            .ExcludeFromDescription();
        ApiDocument.Map(app);
        ApiReference.Map(app);
        return app;
    }
}
