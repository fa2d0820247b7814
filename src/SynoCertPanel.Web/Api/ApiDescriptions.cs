using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SynoCertPanel.Web.Api;

/// <summary>Operation transformers for what the endpoints read by hand (bodies, ids, query strings) and so cannot describe by binding.</summary>
internal static class ApiDescriptions
{
    /// <summary>
    /// A JSON body read by <see cref="ApiJsonBody"/>. It is described here rather than with <c>Accepts</c> metadata, which
    /// would also make routing match on the request's content type: a body of the wrong type would reach the catch-all 404
    /// instead of this call's 415. <paramref name="location"/> describes the <c>Location</c> header of a 201.
    /// </summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> Body<T>(object example, bool required = true,
        string? location = null) => async (operation, context, cancellationToken) =>
        {
            var name = typeof(T).Name;
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), cancellationToken: cancellationToken).ConfigureAwait(false);
            context.Document!.AddComponent(name, schema);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = required,
                Description = string.Create(CultureInfo.InvariantCulture, $"JSON of at most {ApiJsonBody.MaxBytes} bytes; a field not listed here is refused, so is a number sent as text.")
                    + (required ? string.Empty : " The body may be left out (no Content-Type, no content): every field then takes its default."),
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["application/json"] = new()
                    {
                        Schema = new OpenApiSchemaReference(name, context.Document),
                        Example = ApiOperationDetails.Example(example, context),
                    },
                },
            };
            if (location is not null)
            {
                Location(operation, location);
            }
        };

    /// <summary>The <c>Location</c> header of the operation's 201: where the created thing can be read.</summary>
    public static void Location(OpenApiOperation operation, string description)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Responses?.GetValueOrDefault("201") is OpenApiResponse created)
        {
            created.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
            created.Headers["Location"] = new OpenApiHeader
            {
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
            };
        }
    }

    /// <summary>The route takes the id as text (see <see cref="ApiQuery.Id"/>); to a client it is a number.</summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> Id(string description, int example) =>
        (operation, _, _) =>
        {
            if (operation.Parameters?.FirstOrDefault(p => p.Name == "id") is OpenApiParameter id)
            {
                id.Description = description;
                id.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" };
                id.Example = example;
            }

            return Task.CompletedTask;
        };

    /// <summary>A path parameter given as text (an id or a name).</summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> PathParameter(string name, string description, string example) =>
        (operation, _, _) =>
        {
            if (operation.Parameters?.FirstOrDefault(p => p.Name == name) is OpenApiParameter parameter)
            {
                parameter.Description = description;
                parameter.Example = example;
            }

            return Task.CompletedTask;
        };

    /// <summary>Query parameters, each a name, a description, a schema and an example (null: the schema's default serves).</summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> Query(
        params (string Name, string Description, OpenApiSchema Schema, JsonNode? Example)[] parameters) =>
        (operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, description, schema, example) in parameters)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Description = description,
                    Schema = schema,
                    Example = example,
                });
            }

            operation.Description += " An unknown or repeated parameter is refused (400), so a misspelt one is heard about.";
            return Task.CompletedTask;
        };

    public static OpenApiSchema Flag() => new() { Type = JsonSchemaType.Boolean, Default = false };

    public static OpenApiSchema Number(int min, int? max, int? fallback) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int32",
        Minimum = min.ToString(CultureInfo.InvariantCulture),
        Maximum = max?.ToString(CultureInfo.InvariantCulture),
        Default = fallback is { } value ? JsonValue.Create(value) : null,
    };
}
