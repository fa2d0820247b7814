using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// The export calls in the OpenAPI document: their route values as the handlers read them, and answers that are files
/// (one media type per kind of file, from <see cref="ExportFormats.FileOf"/>, so the document names what is sent).
/// </summary>
internal static class ExportDocumentation
{
    public static Task DescribeGet(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        DescribeRoute(operation, ExportEndpoints.GetFormats, "fullchain");
        operation.Parameters!.Add(new OpenApiParameter
        {
            Name = "includeCaKey",
            In = ParameterLocation.Query,
            Description = "`synology-zip` only: add syno-ca-privkey.pem, the issuing CA's private key, when that CA is held here.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = false },
        });
        DescribeFile(operation, ExportEndpoints.GetFormats);
        return Task.CompletedTask;
    }

    public static async Task DescribePostAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        const string name = nameof(ExportKeyBody);
        DescribeRoute(operation, ExportEndpoints.PostFormats, "pfx");
        DescribeFile(operation, ExportEndpoints.PostFormats);
        var schema = await context.GetOrCreateSchemaAsync(typeof(ExportKeyBody), cancellationToken: cancellationToken).ConfigureAwait(false);
        context.Document!.AddComponent(name, schema);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "JSON (`{}` when nothing is needed); a field not listed here is refused.",
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchemaReference(name, context.Document),
                    Example = ApiOperationDetails.Example(TransferExamples.ExportPfx, context),
                },
            },
        };
    }

    private static void DescribeRoute(OpenApiOperation operation, IReadOnlyList<ExportFormat> formats, string example)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Name == "id")
            {
                parameter.Description = "The certificate's id, as in the list.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" };
                parameter.Example = 7;
            }
            else if (parameter.Name == "format")
            {
                parameter.Description = "The format, as the command line's `cert export --format` names it.";
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. formats.Select(f => (JsonNode)ExportFormats.NameOf(f))],
                };
                parameter.Example = example;
            }
        }
    }

    /// <summary>The 200 answer: the file in its media type, its name in Content-Disposition (DownloadFileName's safe letters).</summary>
    private static void DescribeFile(OpenApiOperation operation, IReadOnlyList<ExportFormat> formats)
    {
        if (operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse file)
        {
            return;
        }

        file.Description = "The file. " + string.Join("; ", formats.Select(f =>
            $"`{ExportFormats.NameOf(f)}`: {ExportFormats.FileOf(f).ContentType}, NAME{ExportFormats.FileOf(f).Suffix}")) + ".";
        file.Content = formats.Select(f => ExportFormats.FileOf(f).ContentType).Distinct(StringComparer.Ordinal).ToDictionary(type => type,
            type => type == "application/x-pem-file"
                ? new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = TransferExamples.FullChainPem }
                : new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
            StringComparer.Ordinal);
        file.Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
        {
            ["Content-Disposition"] = new OpenApiHeader
            {
                Description = "attachment, with the file name made from the certificate's description (ASCII letters, digits, '.', '_' and '-' only).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = "attachment; filename=NAS_web-fullchain.pem; filename*=UTF-8''NAS_web-fullchain.pem",
            },
            ["Cache-Control"] = new OpenApiHeader
            {
                Description = "no-store: no cache on the way keeps the file.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = "no-store",
            },
        };
    }
}
