using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// What the endpoints' metadata says beyond types: the scopes each one needs (from its authorization policies, so the
/// document cannot disagree with what is enforced), what each problem status means with an example, and the examples
/// attached with <see cref="ApiExamples.WithExample{TBuilder}"/> (a request body's example comes with its description).
/// </summary>
internal sealed class ApiOperationDetails : IOpenApiOperationTransformer
{
    private const string ProblemMediaType = "application/problem+json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var scopes = ApiScopePolicies.RequiredScopes(metadata).ToList();
        var call = $"{context.Description.HttpMethod} /{context.Description.RelativePath}";
        if (scopes.Count > 0)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiDocument.SecurityScheme, context.Document)] = scopes,
            });
            var needs = "Needs a token with " + string.Join(" and ", scopes.Select(s => $"`{s}`")) + ".";
            operation.Description = operation.Description is null ? needs : operation.Description + "\n\n" + needs;
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete || concrete.Content?.TryGetValue(ProblemMediaType, out var problem) != true)
            {
                continue;
            }

            var code = int.Parse(status, CultureInfo.InvariantCulture);
            var (description, title, detail) = Problem(code, scopes, call);
            concrete.Description = description;
            if (detail is not null)
            {
                problem!.Example = Example(ApiExamples.Problem(code, title, detail), context);
            }
        }

        foreach (var example in metadata.OfType<ApiExample>())
        {
            var response = operation.Responses?.GetValueOrDefault(example.Status.ToString(CultureInfo.InvariantCulture)) as OpenApiResponse;
            if (response?.Content?.Values.FirstOrDefault() is OpenApiMediaType media)
            {
                media.Example = Example(example.Value, context);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>An example written with the options the API writes its answers with, so its names are the answers' names.</summary>
    public static JsonNode? Example(object value, OpenApiOperationTransformerContext context) =>
        JsonSerializer.SerializeToNode(value, value.GetType(),
            context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);

    /// <summary>The response's description, and the example's title and detail where one status means one thing for every call.</summary>
    private static (string Description, string Title, string? Detail) Problem(int status, IReadOnlyList<string> scopes, string call) => status switch
    {
        StatusCodes.Status400BadRequest => ("The request is not one this call takes; `detail` says which value is wrong and why.", "Bad request", null),
        StatusCodes.Status401Unauthorized => ("No token, or one that is malformed, unknown, expired or revoked; `detail` says which.", "Not authenticated",
            "No API token: send one as \"Authorization: Bearer scp_…\" (make one with `synocertpanel token create`)."),
        StatusCodes.Status403Forbidden => ("The token lacks a scope this call needs; `detail` and `WWW-Authenticate` name it.", "Missing scope",
            $"This token lacks the scope {string.Join(" and ", scopes)}, which {call} needs; make a token that has it."),
        StatusCodes.Status404NotFound => ("Nothing with this id is held here.", "Not found", null),
        StatusCodes.Status409Conflict => ("What is held here does not allow it (the certificate the panel serves, a CA still issuing, a certificate this "
            + "cannot be done to); `detail` is the sentence the page shows.", "Conflict", null),
        StatusCodes.Status413PayloadTooLarge => ("The body is larger than this call accepts.", "Payload too large",
            string.Create(CultureInfo.InvariantCulture, $"The body is larger than this call accepts ({ApiJsonBody.MaxBytes} bytes).")),
        StatusCodes.Status415UnsupportedMediaType => ("The body is not sent as `application/json`.", "Unsupported media type", "Send the body as application/json."),
        StatusCodes.Status429TooManyRequests => ("The token made too many calls this minute; `Retry-After` says when to try again.", "Too many requests",
            string.Create(CultureInfo.InvariantCulture, $"This token made more than {ApiRateLimits.DefaultRequestsPerMinute} calls in a minute; try again in 12 s.")),
        _ => ("A problem document saying what went wrong.", "Error", null),
    };
}
