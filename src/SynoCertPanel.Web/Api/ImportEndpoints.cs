using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Protection;

namespace SynoCertPanel.Web.Api;

/// <summary><c>POST /api/v1/certificates/import</c>: the import wizard's last step, through the same <see cref="ImportService"/>.</summary>
internal static class ImportEndpoints
{
    public const string Path = "/certificates/import";

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost(Path, ImportAsync).WithTags(CertificateEndpoints.Tag).RequireScope(ApiScopes.CertificatesWrite)
            // Kestrel stops a body without a Content-Length at the same cap the reader checks.
            .AllowUploadsUpTo(ImportUploadReader.MaxBodyBytes)
            .WithName("ImportCertificate")
            .WithSummary("Import a certificate")
            .WithDescription("""
                Imports a certificate with its key and chain, as the import wizard and `cert import` do: the same formats
                (PEM, DER, PKCS#7, PKCS#12, a Synology archive.zip, recognised from their bytes, not their names), the same checks
                and the same refusals. A certificate signed for a CSR made here needs no key: the request's key is found and the
                request completed; a signed renewal takes the renewed certificate's place. Give either `certificate` (with `key`
                and `chain` when they are separate files) or one `bundle`, as `multipart/form-data` (the files a person would
                pick) or as JSON (PEM text, or base64 for binary files). Nothing is stored when the import is refused. The change
                is in the audit log as `token:NAME`; the answer's `Location` is the new certificate. The answer is that certificate
                with what the import did beside: the pending request it completed, a CA it registered, and its warnings.
                """)
            .AddOpenApiOperationTransformer(DescribeAsync)
            .Produces<ImportedCertificateDocument>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status201Created, TransferExamples.Imported)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "The private key (ECDSA P-256) does not belong to any of the certificates (\"CN=nas.home.arpa\")."))
            .WithExample(StatusCodes.Status413PayloadTooLarge, ApiExamples.Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large",
                "\"server.pfx\" is 2048 KiB; certificate files are far smaller (at most 1024 KiB accepted)."))
            .WithExample(StatusCodes.Status415UnsupportedMediaType, ApiExamples.Problem(StatusCodes.Status415UnsupportedMediaType,
                "Unsupported media type", ImportUploadReader.UnsupportedType));

    private static async Task<IResult> ImportAsync(HttpContext http, ImportService imports, InventoryService inventory, CancellationToken cancellationToken)
    {
        if (http.Request.Query.Count > 0)
        {
            return ApiProblems.BadRequest("The import takes no query parameters: the files, password and description go in the body.");
        }

        var (request, problem) = await ImportUploadReader.ReadAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var imported = await imports.ImportAsync(request!, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        if (!imported.IsSuccess)
        {
            return ApiProblems.BadRequest(imported.Error!);
        }

        var details = await inventory.GetAsync(imported.Value.CertificateId, cancellationToken).ConfigureAwait(false);
        if (!details.IsSuccess)
        {
            return ApiProblems.NotFound(details.Error!);
        }

        var document = new ImportedCertificateDocument(CertificateDocument.From(details.Value), imported.Value.CompletedRequestId,
            imported.Value.AuthorityId, imported.Warnings);
        return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"{ApiExtensions.Prefix}/certificates/{document.Id}"), document);
    }

    /// <summary>Both forms of the body, read by hand (see <see cref="ImportUploadReader"/>), and the new certificate's address.</summary>
    private static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        const string name = nameof(ImportCertificateBody);
        var schema = await context.GetOrCreateSchemaAsync(typeof(ImportCertificateBody), cancellationToken: cancellationToken).ConfigureAwait(false);
        context.Document!.AddComponent(name, schema);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = string.Create(CultureInfo.InvariantCulture,
                $"At most {ImportUploadReader.MaxBodyBytes} bytes in all and {ImportUploadReader.MaxFileBytes} bytes a file. An unknown or repeated part or field is refused."),
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["multipart/form-data"] = new()
                {
                    Schema = MultipartSchema(),
                    Example = TransferExamples.MultipartImport(),
                },
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchemaReference(name, context.Document),
                    Example = ApiOperationDetails.Example(TransferExamples.JsonImport, context),
                },
            },
        };
        ApiDescriptions.Location(operation, CertificateEndpoints.CreatedLocation);

        if (operation.Responses?.GetValueOrDefault("415") is OpenApiResponse unsupported)
        {
            unsupported.Description = "The body is neither `multipart/form-data` nor `application/json`.";
        }
    }

    private static OpenApiSchema MultipartSchema()
    {
        static OpenApiSchema File(string description) => new()
        {
            Type = JsonSchemaType.String,
            Format = "binary",
            Description = description,
        };

        static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The import wizard's fields: certificate (with key and chain), or one bundle.",
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                [ImportUploadParts.CertificateName] = File("The certificate file: PEM or DER; a PEM file may also hold the key and chain, or be PKCS#7."),
                [ImportUploadParts.KeyName] = File("The private key file (PEM or DER). Not needed when a CSR made here holds the key."),
                [ImportUploadParts.ChainName] = File("The intermediate certificates (PEM, DER or PKCS#7)."),
                [ImportUploadParts.BundleName] = File("One file holding everything: PKCS#12 (.pfx/.p12), a Synology archive.zip, PKCS#7 or PEM. Alone."),
                [ImportUploadParts.PasswordName] = Text("Opens a PKCS#12 file or an encrypted key."),
                [ImportUploadParts.DescriptionName] = Text("The description the list shows; the certificate's common name when empty."),
            },
        };
    }
}
