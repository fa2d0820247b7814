using Microsoft.OpenApi;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// The OpenAPI 3.1 description of <c>/api/v1</c>, built from the endpoints themselves (Microsoft.AspNetCore.OpenApi) and
/// served at <see cref="Path"/>. It is public like the README that says the same: it holds the shape of the calls and no
/// data, and a script or a client generator must be able to read it before it has a token.
/// </summary>
public static class ApiDocument
{
    public const string Path = ApiExtensions.Prefix + "/openapi.json";

    /// <summary>The document's name and the API group's: only endpoints of this group are described.</summary>
    public const string Name = "v1";

    public const string SecurityScheme = "bearer";

    internal static void Add(IServiceCollection services) =>
        services.AddOpenApi(Name, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            // Pages, /trust and /health are not part of the API, whatever ApiExplorer finds.
            options.ShouldInclude = description => description.GroupName == Name;
            options.AddDocumentTransformer<ApiDocumentInfo>();
            options.AddOperationTransformer<ApiOperationDetails>();
        });

    internal static void Map(WebApplication app) => app.MapOpenApi(Path);
}
