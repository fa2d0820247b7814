using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// <c>/api/v1/boxes</c>: the lab's other boxes, as the Boxes page and `box …` handle them, through <see cref="BoxService"/>,
/// <see cref="DeployService"/> and <see cref="BoxWatch"/>. Reading needs <c>certificates:read</c>; adding, editing, deleting,
/// testing, deploying and probing need <c>boxes:deploy</c>. Secrets go in, never out.
/// </summary>
internal static class BoxEndpoints
{
    public const string Tag = "Boxes";

    private const string Path = "/boxes";

    private static readonly Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> BoxParameter =
        ApiDescriptions.PathParameter("box", "The box's id or name (case-insensitive), as in the list.", "nas2");

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet(Path, ListAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListBoxes")
            .WithSummary("List boxes")
            .WithDescription("Every box with its delivery settings (never a secret: only which are set) and each watched endpoint's last state.")
            .WithExample(StatusCodes.Status200OK, BoxExamples.List);
        api.MapGet(Path + "/{box}", GetAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("GetBox")
            .WithSummary("Show a box")
            .WithDescription("One box, as `box show` prints it. Never a secret.")
            .AddOpenApiOperationTransformer(BoxParameter)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, BoxExamples.Item)
            .WithExample(StatusCodes.Status404NotFound, NoBox);
        api.MapPost(Path, CreateAsync).WithTags(Tag).RequireScope(ApiScopes.BoxesDeploy)
            .WithName("CreateBox")
            .WithSummary("Add a box")
            .WithDescription("""
                Adds a box with the checks of the Boxes page: its addresses, the TLS endpoints to watch, the delivery method and that
                method's settings (`secrets` are sealed here and never returned). An SSH box given no `private-key` gets a login key
                made here; its public line is in `settings["public-key"]` for the box's authorized_keys. In the audit log as `token:NAME`.
                """)
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<CreateBoxBody>(BoxExamples.Create, location: "The new box's address, for GET /api/v1/boxes/{box}."))
            .Produces<BoxItem>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status201Created, BoxExamples.Item)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "The endpoint \"nas2:99999\" cannot be watched: the port must be a number from 1 to 65535."));
        api.MapPatch(Path + "/{box}", UpdateAsync).WithTags(Tag).RequireScope(ApiScopes.BoxesDeploy)
            .WithName("UpdateBox")
            .WithSummary("Edit a box")
            .WithDescription("""
                Changes only what the body gives, with the checks of adding one. `settings` are laid over the stored ones (an empty
                value drops a setting, so its default applies); a secret stays unless a new value is given, and is never returned.
                Another `delivery` keeps none of the old method's settings or secrets: give all it needs. `addresses` and `watch`
                replace the stored lists (an endpoint no longer watched loses its last state); `source` replaces the CA and
                certificate; `forgetPin` forgets the pinned SSH host key and HTTPS fingerprint so a re-installed box is trusted on
                next contact; `enabled` enables or disables it. In the audit log as `box.update` with the names of what changed.
                """)
            .AddOpenApiOperationTransformer(BoxParameter)
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<UpdateBoxBody>(BoxExamples.Update))
            .Produces<BoxItem>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status200OK, BoxExamples.Item)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "Webhook needs the signing secret (--secret-file): Signs each body with HMAC-SHA256 in the X-Signature header; at least 16 characters."))
            .WithExample(StatusCodes.Status404NotFound, NoBox);
        api.MapDelete(Path + "/{box}", DeleteAsync).WithTags(Tag).RequireScope(ApiScopes.BoxesDeploy)
            .WithName("DeleteBox")
            .WithSummary("Delete a box")
            .WithDescription("Removes the box, its endpoints and its deploy history; the certificates it used stay in the inventory.")
            .AddOpenApiOperationTransformer(BoxParameter)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, BoxExamples.Item)
            .WithExample(StatusCodes.Status404NotFound, NoBox);
        api.MapPost(Path + "/{box}/test", TestAsync).WithTags(Tag).RequireScope(ApiScopes.BoxesDeploy)
            .WithName("TestBox")
            .WithSummary("Test the connection to a box")
            .WithDescription("Connects and logs in as a deploy would, changing nothing; says which step failed (dns, connect, timeout, tls, hostkey, login, secondfactor, permission, …).")
            .AddOpenApiOperationTransformer(BoxParameter)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, BoxExamples.Test)
            .WithExample(StatusCodes.Status404NotFound, NoBox);
        api.MapPost(Path + "/{box}/deploy", DeployAsync).WithTags(Tag).RequireScope(ApiScopes.BoxesDeploy)
            .WithName("DeployBox")
            .WithSummary("Deploy to a box")
            .WithDescription("""
                Issues a certificate for the box's addresses from its CA (or takes `certificateId`, or the box's current one),
                delivers it, and verifies by a TLS handshake that every watched endpoint serves it; on a failed verification the
                previous certificate is put back where the method can. The answer is the deploy's record whatever its outcome
                (`succeeded`, `rolled-back`, `failed`); a refusal before anything was sent is a problem answer.
                """)
            .AddOpenApiOperationTransformer(BoxParameter)
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<DeployBoxBody>(new DeployBoxBody { CertificateId = 15 }, required: false))
            .Produces<DeploymentDocument>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status200OK, BoxExamples.Deployment)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "The box nas2 is disabled; enable it before deploying to it."))
            .WithExample(StatusCodes.Status404NotFound, NoBox);
        api.MapPost(Path + "/{box}/check", CheckAsync).WithTags(Tag).RequireScope(ApiScopes.BoxesDeploy)
            .WithName("CheckBox")
            .WithSummary("Probe a box now")
            .WithDescription("Probes the box's watched endpoints and judges what each serves (expiry, latest, names, trust, weakness), worst first; the states are stored as the schedule's are.")
            .AddOpenApiOperationTransformer(BoxParameter)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, BoxExamples.Checks)
            .WithExample(StatusCodes.Status404NotFound, NoBox);
        api.MapGet(Path + "/{box}/deployments", HistoryAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListBoxDeployments")
            .WithSummary("A box's deploy history")
            .WithDescription("The box's deploys, newest first (at most 50).")
            .AddOpenApiOperationTransformer(BoxParameter)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, BoxExamples.Deployments)
            .WithExample(StatusCodes.Status404NotFound, NoBox);
    }

    private static object NoBox => ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found", "There is no box \"nas9\"; `box list` shows the boxes and their ids.");

    private static async Task<Ok<BoxList>> ListAsync(BoxService boxes, CancellationToken cancellationToken) =>
        TypedResults.Ok(new BoxList([.. (await boxes.ListAsync(cancellationToken).ConfigureAwait(false)).Select(BoxItem.From)]));

    private static async Task<Results<Ok<BoxItem>, ProblemHttpResult>> GetAsync(string box, BoxService boxes, CancellationToken cancellationToken)
    {
        var found = await boxes.FindAsync(box, cancellationToken).ConfigureAwait(false);
        return found.IsSuccess ? TypedResults.Ok(BoxItem.From(found.Value)) : ApiProblems.NotFound(found.Error!);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, BoxService boxes, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJsonBody.ReadAsync<CreateBoxBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var added = await boxes.AddAsync(body!.ToDraft(), ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return added.IsSuccess
            ? TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"{ApiExtensions.Prefix}{Path}/{added.Value.Id}"), BoxItem.From(added.Value))
            : ApiProblems.BadRequest(added.Error!);
    }

    private static async Task<IResult> UpdateAsync(string box, HttpContext http, BoxService boxes, CancellationToken cancellationToken)
    {
        var found = await boxes.FindAsync(box, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return ApiProblems.NotFound(found.Error!);
        }

        var (body, problem) = await ApiJsonBody.ReadAsync<UpdateBoxBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var actor = ApiTokenDefaults.Actor(http.User);
        var id = found.Value.Id.ToString(CultureInfo.InvariantCulture);
        var updated = await boxes.UpdateAsync(id, body!.ToChange(), actor, cancellationToken).ConfigureAwait(false);
        if (updated.IsSuccess && body.Enabled is { } enabled && enabled != updated.Value.Enabled)
        {
            updated = await boxes.SetEnabledAsync(id, enabled, actor, cancellationToken).ConfigureAwait(false);
        }

        return updated.IsSuccess ? TypedResults.Ok(BoxItem.From(updated.Value)) : ApiProblems.BadRequest(updated.Error!);
    }

    private static async Task<Results<Ok<BoxItem>, ProblemHttpResult>> DeleteAsync(string box, HttpContext http, BoxService boxes, CancellationToken cancellationToken)
    {
        var deleted = await boxes.DeleteAsync(box, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return deleted.IsSuccess ? TypedResults.Ok(BoxItem.From(deleted.Value)) : ApiProblems.NotFound(deleted.Error!);
    }

    private static async Task<Results<Ok<BoxTestDocument>, ProblemHttpResult>> TestAsync(string box, HttpContext http, BoxService boxes,
        CancellationToken cancellationToken)
    {
        var found = await boxes.FindAsync(box, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return ApiProblems.NotFound(found.Error!);
        }

        var tested = await boxes.TestAsync(box, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return tested.IsSuccess ? TypedResults.Ok(BoxTestDocument.From(tested.Value)) : ApiProblems.BadRequest(tested.Error!);
    }

    private static async Task<IResult> DeployAsync(string box, HttpContext http, BoxService boxes, DeployService deploys, CancellationToken cancellationToken)
    {
        var found = await boxes.FindAsync(box, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return ApiProblems.NotFound(found.Error!);
        }

        var (body, problem) = await ApiJsonBody.ReadOptionalAsync<DeployBoxBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var deployed = await deploys.DeployAsync(box, body!.CertificateId, ApiTokenDefaults.Actor(http.User), cancellationToken: cancellationToken).ConfigureAwait(false);
        return deployed.IsSuccess ? TypedResults.Ok(DeploymentDocument.From(deployed.Value)) : ApiProblems.BadRequest(deployed.Error!);
    }

    private static async Task<Results<Ok<EndpointCheckList>, ProblemHttpResult>> CheckAsync(string box, BoxWatch watch, CancellationToken cancellationToken)
    {
        var checks = await watch.CheckAsync(box, cancellationToken).ConfigureAwait(false);
        return checks.IsSuccess ? TypedResults.Ok(new EndpointCheckList([.. checks.Value.Select(EndpointCheckItem.From)])) : ApiProblems.NotFound(checks.Error!);
    }

    private static async Task<Results<Ok<DeploymentList>, ProblemHttpResult>> HistoryAsync(string box, DeployService deploys, CancellationToken cancellationToken)
    {
        var history = await deploys.HistoryAsync(box, cancellationToken: cancellationToken).ConfigureAwait(false);
        return history.IsSuccess ? TypedResults.Ok(new DeploymentList([.. history.Value.Select(DeploymentDocument.From)])) : ApiProblems.NotFound(history.Error!);
    }
}
