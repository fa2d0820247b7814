using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Components.Wizards;

namespace SynoCertPanel.Web.Api;

/// <summary><c>/api/v1/certificates</c>: the inventory through the same services as the page and `cert list`.</summary>
internal static class CertificateEndpoints
{
    public const string Tag = "Certificates";

    private const string Path = "/certificates";

    public static void Map(RouteGroupBuilder api)
    {
        // Mapped on the API group itself: a "/certificates" group with "" would route as "/api/v1/certificates/".
        api.MapGet(Path, ListAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListCertificates")
            .WithSummary("List certificates")
            .WithDescription("A page of the inventory, searched and sorted as on the certificates page, with the total so a script can tell whether it has every row. Never a key.")
            .AddOpenApiOperationTransformer(CertificateListParameters.DescribeAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithExample(StatusCodes.Status200OK, CertificateExamples.List)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "\"sort\" must be one of expiry, description, commonName, issuer, created; \"size\" was given."));
        api.MapGet(Path + "/{id}", GetAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("GetCertificate")
            .WithSummary("Show a certificate")
            .WithDescription("The details panel's facts and the PEM of the certificate and of its chain (issuers, nearest first). Never a key.")
            .AddOpenApiOperationTransformer(DescribeIdAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, CertificateExamples.Document)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "A certificate id is a whole number from 1 up; \"abc\" was given."))
            .WithExample(StatusCodes.Status404NotFound, ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found", "There is no certificate with id 42."));
        api.MapPost(Path, CreateAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesWrite)
            .WithName("CreateCertificate")
            .WithSummary("Create a server certificate")
            .WithDescription("""
                Issues a server certificate from a CA held here (`authorityId`) or with a new root (`rootCommonName`), with the
                self-signed wizard's checks and defaults; unset values take the wizard's defaults. It never becomes the panel's
                own certificate. The change is in the audit log as `token:NAME`. The answer's `Location` is the new certificate.
                """)
            .AddOpenApiOperationTransformer(DescribeBodyAsync)
            .Produces<CertificateDocument>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status201Created, CertificateExamples.Document)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "Give either authorityId (issue from a CA held here) or rootCommonName (a new root), not both."));
    }

    /// <summary>
    /// The body is read by <see cref="ApiJsonBody"/>, not bound, and so is described here: <c>Accepts</c> metadata would also
    /// make routing match on the request's content type, and a body of the wrong type would reach the catch-all 404
    /// instead of this call's 415.
    /// </summary>
    private static async Task DescribeBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        const string name = nameof(CreateCertificateBody);
        var schema = await context.GetOrCreateSchemaAsync(typeof(CreateCertificateBody), cancellationToken: cancellationToken).ConfigureAwait(false);
        context.Document!.AddComponent(name, schema);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = string.Create(CultureInfo.InvariantCulture, $"JSON of at most {ApiJsonBody.MaxBytes} bytes; a field not listed here is refused, so is a number sent as text."),
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchemaReference(name, context.Document),
                    Example = ApiOperationDetails.Example(CertificateExamples.Create, context),
                },
            },
        };
        if (operation.Responses?.GetValueOrDefault("201") is OpenApiResponse created)
        {
            created.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
            created.Headers["Location"] = new OpenApiHeader
            {
                Description = "The new certificate's address, for GET /api/v1/certificates/{id}.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
            };
        }
    }

    /// <summary>The route takes text (see <see cref="GetAsync"/>); to a client it is the certificate's number.</summary>
    private static Task DescribeIdAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Parameters?.FirstOrDefault(p => p.Name == "id") is OpenApiParameter id)
        {
            id.Description = "The certificate's id, as in the list.";
            id.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" };
            id.Example = 7;
        }

        return Task.CompletedTask;
    }

    private static async Task<Results<Ok<CertificateList>, ProblemHttpResult>> ListAsync(HttpRequest request, InventoryService inventory,
        CancellationToken cancellationToken)
    {
        var parameters = CertificateListParameters.Parse(request.Query);
        if (!parameters.IsSuccess)
        {
            return ApiProblems.BadRequest(parameters.Error!);
        }

        var (query, offset, limit) = parameters.Value;
        var page = await inventory.ListRangeAsync(query, offset, limit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new CertificateList(page.Items.Select(CertificateItem.From).ToList(), page.TotalCount, offset, limit));
    }

    /// <summary>The id is read as text so that "abc" is a 400 saying so, not a 404 from a route that did not match.</summary>
    private static async Task<Results<Ok<CertificateDocument>, ProblemHttpResult>> GetAsync(string id, InventoryService inventory,
        CancellationToken cancellationToken)
    {
        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var certificateId) || certificateId < 1)
        {
            return ApiProblems.BadRequest($"A certificate id is a whole number from 1 up; \"{Display.Literal(id, 40)}\" was given.");
        }

        var details = await inventory.GetAsync(certificateId, cancellationToken).ConfigureAwait(false);
        return details.IsSuccess
            ? TypedResults.Ok(CertificateDocument.From(details.Value))
            : ApiProblems.NotFound(details.Error!);
    }

    /// <summary>
    /// The self-signed wizard's last step (<see cref="SelfSignedCreation"/>): the same checks, the same services, the same
    /// audit, with the token's name as the actor.
    /// </summary>
    private static async Task<IResult> CreateAsync(HttpContext http, SelfSignedService selfSigned, AuthorityService authorities,
        InventoryService inventory, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJsonBody.ReadAsync<CreateCertificateBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var form = body!.ToForm();
        if (!form.IsSuccess)
        {
            return ApiProblems.BadRequest(form.Error!);
        }

        AuthoritySummary? authority = null;
        if (body.AuthorityId is { } authorityId)
        {
            authority = (await authorities.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => a.Id == authorityId);
            if (authority is null)
            {
                return ApiProblems.BadRequest(string.Create(CultureInfo.InvariantCulture, $"There is no CA with id {authorityId} held here."));
            }
        }

        var creation = new SelfSignedCreation(selfSigned, authorities, inventory, listener: null);
        var outcome = await creation.RunAsync(form.Value, authority, http.Request.Host.Host, ApiTokenDefaults.Actor(http.User)).ConfigureAwait(false);
        if (!outcome.IsSuccess)
        {
            return ApiProblems.BadRequest(outcome.Error!);
        }

        var document = CertificateDocument.From(outcome.Value.Server);
        return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"{ApiExtensions.Prefix}/certificates/{document.Id}"), document);
    }
}
