using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Components.Wizards;

namespace SynoCertPanel.Web.Api;

/// <summary><c>/api/v1/certificates</c>: the inventory through the same services as the page and `cert list`.</summary>
internal static class CertificateEndpoints
{
    public const string Tag = "Certificates";

    /// <summary>The <c>Location</c> of a certificate a call created.</summary>
    public const string CreatedLocation = "The new certificate's address, for GET /api/v1/certificates/{id}.";

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
            .AddOpenApiOperationTransformer(ApiDescriptions.Id("The certificate's id, as in the list.", 7))
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
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<CreateCertificateBody>(CertificateExamples.Create, location: CreatedLocation))
            .Produces<CertificateDocument>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status201Created, CertificateExamples.Document)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "Give either authorityId (issue from a CA held here) or rootCommonName (a new root), not both."));
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
        var certificateId = ApiQuery.Id(id, "A certificate id");
        if (!certificateId.IsSuccess)
        {
            return ApiProblems.BadRequest(certificateId.Error!);
        }

        var details = await inventory.GetAsync(certificateId.Value, cancellationToken).ConfigureAwait(false);
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
