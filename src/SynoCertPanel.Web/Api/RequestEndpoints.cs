using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// <c>/api/v1/requests</c>: certificate signing requests made here (the Create CSR wizard, `csr create`, `csr list`,
/// `csr show`, `csr cancel`), through <see cref="RequestService"/>. The key stays here; no answer carries it.
/// </summary>
internal static class RequestEndpoints
{
    public const string Tag = "Pending requests";

    private const string Path = "/requests";

    private const string IdText = "A request id";

    public static void Map(RouteGroupBuilder api)
    {
        var id = ApiDescriptions.Id("The pending request's id, as in the list.", 3);
        api.MapGet(Path, ListAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListRequests")
            .WithSummary("List pending requests")
            .WithDescription("The CSRs made here whose signed certificates have not come back, newest first, as on the pending requests page. Never a key.")
            .WithExample(StatusCodes.Status200OK, RequestExamples.List);
        api.MapGet(Path + "/{id}", GetAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("GetRequest")
            .WithSummary("Show a pending request")
            .WithDescription("The request and its CSR as PEM, to send to the CA that will sign it (as `csr show`). Never a key.")
            .AddOpenApiOperationTransformer(id)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, RequestExamples.Document)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "A request id is a whole number from 1 up; \"abc\" was given."))
            .WithExample(StatusCodes.Status404NotFound, ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found", "There is no pending request with id 42."));
        api.MapPost(Path, CreateAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesWrite)
            .WithName("CreateRequest")
            .WithSummary("Create a certificate signing request")
            .WithDescription("""
                Makes a key and a CSR with the Create CSR wizard's checks and defaults. The key stays here, sealed, as a pending
                request; when the signed certificate comes back, importing it finds the key by its public key. The answer
                carries the CSR, never the key. The change is in the audit log as `token:NAME`.
                """)
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<CreateRequestBody>(RequestExamples.Create,
                location: "The new request's address, for GET /api/v1/requests/{id}."))
            .Produces<PendingRequestDocument>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status201Created, RequestExamples.Document)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "Add at least one DNS name or IP address: browsers ignore the common name and read only these."));
        api.MapDelete(Path + "/{id}", CancelAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesWrite)
            .WithName("CancelRequest")
            .WithSummary("Withdraw a pending request")
            .WithDescription("""
                Withdraws the request and destroys its key, unless a certificate here already uses it (as `csr cancel`): a
                certificate signed for it can then never be used here. The change is in the audit log as `token:NAME`.
                """)
            .AddOpenApiOperationTransformer(id)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, RequestExamples.Cancelled)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "A request id is a whole number from 1 up; \"abc\" was given."))
            .WithExample(StatusCodes.Status404NotFound, ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found", "There is no pending request with id 42."));
    }

    private static async Task<Ok<PendingRequestList>> ListAsync(RequestService requests, CancellationToken cancellationToken) =>
        TypedResults.Ok(new PendingRequestList((await requests.ListAsync(cancellationToken).ConfigureAwait(false)).Select(PendingRequestItem.From).ToList()));

    private static async Task<Results<Ok<PendingRequestDocument>, ProblemHttpResult>> GetAsync(string id, RequestService requests,
        CancellationToken cancellationToken)
    {
        var requestId = ApiQuery.Id(id, IdText);
        if (!requestId.IsSuccess)
        {
            return ApiProblems.BadRequest(requestId.Error!);
        }

        var pending = await requests.GetAsync(requestId.Value, cancellationToken).ConfigureAwait(false);
        return pending.IsSuccess ? TypedResults.Ok(PendingRequestDocument.From(pending.Value)) : ApiProblems.NotFound(pending.Error!);
    }

    /// <summary>The Create CSR wizard's last step: the same checks, the same service, the same audit, with the token's name as the actor.</summary>
    private static async Task<IResult> CreateAsync(HttpContext http, RequestService requests, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJsonBody.ReadAsync<CreateRequestBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var form = body!.ToForm();
        if (!form.IsSuccess)
        {
            return ApiProblems.BadRequest(form.Error!);
        }

        var pending = await requests.CreateAsync(form.Value.ToSubject(), form.Value.Names, form.Value.Key, form.Value.Description,
            ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return pending.IsSuccess
            ? TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"{ApiExtensions.Prefix}{Path}/{pending.Value.Id}"),
                PendingRequestDocument.From(pending.Value))
            : ApiProblems.BadRequest(pending.Error!);
    }

    private static async Task<Results<Ok<CancelledRequestDocument>, ProblemHttpResult>> CancelAsync(string id, HttpContext http, RequestService requests,
        CancellationToken cancellationToken)
    {
        var requestId = ApiQuery.Id(id, IdText);
        if (!requestId.IsSuccess)
        {
            return ApiProblems.BadRequest(requestId.Error!);
        }

        var cancelled = await requests.CancelAsync(requestId.Value, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return cancelled.IsSuccess
            ? TypedResults.Ok(new CancelledRequestDocument(cancelled.Value.Id, cancelled.Value.KeyDestroyed))
            : ApiProblems.NotFound(cancelled.Error!);
    }
}
