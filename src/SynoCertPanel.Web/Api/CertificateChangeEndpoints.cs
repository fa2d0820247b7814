using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Web.Components.Wizards;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// Renew, serve and delete a certificate held here, through the services and the listener's apply that the Renew page,
/// the apply dialog, the delete dialog and `cert renew` / `cert set-default` / `cert delete` use.
/// </summary>
internal static class CertificateChangeEndpoints
{
    private const string Path = "/certificates/{id}";

    private const string IdText = "A certificate id";

    private static readonly string[] DeleteParameters = ["force"];

    public static void Map(RouteGroupBuilder api)
    {
        var id = ApiDescriptions.Id("The certificate's id, as in the list.", 7);
        var badId = ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request", "A certificate id is a whole number from 1 up; \"abc\" was given.");
        var notFound = ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found", "There is no certificate with id 42.");
        api.MapPost(Path + "/renew", RenewAsync).WithTags(CertificateEndpoints.Tag).RequireScope(ApiScopes.CertificatesWrite)
            .WithName("RenewCertificate")
            .WithSummary("Renew a certificate")
            .WithDescription("""
                A new key with the same subject and names, as on the Renew page and `cert renew`. When its CA is held here the new
                certificate is issued at once and takes the old one's place: the old one is kept, marked replaced, and when it was
                the panel's own certificate the new one is applied to the listener through the same pre-flight as the page (a
                refusal is `defaultError`; the renewal stands). Otherwise the answer is a pending request for that CA. The change
                is in the audit log as `token:NAME`. The answer's `Location` is the new certificate or request.
                """)
            .AddOpenApiOperationTransformer(id)
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<RenewCertificateBody>(CertificateChangeExamples.Renew, required: false,
                location: "The new certificate's address (GET /api/v1/certificates/{id}), or the pending request's (GET /api/v1/requests/{id})."))
            .Produces<RenewalDocument>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status201Created, CertificateChangeExamples.Renewed)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "Unknown key type \"dsa\": use rsa2048, rsa3072, rsa4096, p256 or p384."))
            .WithExample(StatusCodes.Status404NotFound, notFound)
            .WithExample(StatusCodes.Status409Conflict, ApiExamples.Problem(StatusCodes.Status409Conflict, "Conflict",
                "CA certificates are renewed by creating a new CA, not by a request."));
        api.MapPost(Path + "/default", SetDefaultAsync).WithTags(CertificateEndpoints.Tag).RequireScope(ApiScopes.CertificatesWrite)
            .WithName("SetDefaultCertificate")
            .WithSummary("Serve a certificate on the panel")
            .WithDescription("""
                Makes it the certificate the panel's HTTPS listener serves, as the page's apply does: a pre-flight (its key is held
                here and matches, it is valid now, it is for TLS servers, its chain builds, no client would reject it, and it covers
                the host name this call reached the panel by unless `confirmed`), then the switch, confirmed with a TLS handshake
                and undone if that fails. Connections already open keep their certificate. A refusal is a 409 with the pre-flight's
                sentence. The change is in the audit log as `token:NAME`.
                """)
            .AddOpenApiOperationTransformer(id)
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<SetDefaultBody>(CertificateChangeExamples.SetDefault, required: false))
            .Produces<DefaultCertificateDocument>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status200OK, CertificateChangeExamples.Default)
            .WithExample(StatusCodes.Status400BadRequest, badId)
            .WithExample(StatusCodes.Status404NotFound, notFound)
            .WithExample(StatusCodes.Status409Conflict, ApiExamples.Problem(StatusCodes.Status409Conflict, "Conflict",
                "Certificate 7 cannot be the panel's certificate: it is a CA certificate, not a server certificate"));
        api.MapDelete(Path, DeleteAsync).WithTags(CertificateEndpoints.Tag).RequireScope(ApiScopes.CertificatesWrite)
            .WithName("DeleteCertificate")
            .WithSummary("Delete a certificate")
            .WithDescription("""
                Deletes it, and its key when nothing else here uses it, as the delete dialog and `cert delete` do. The certificate the
                panel serves is refused (409); so is a CA with unexpired certificates or intermediates here, unless `force=true`.
                The change is in the audit log as `token:NAME`.
                """)
            .AddOpenApiOperationTransformer(id)
            .AddOpenApiOperationTransformer(ApiDescriptions.Query(("force", "Delete a CA even though certificates or intermediates it issued are still here.",
                ApiDescriptions.Flag(), null)))
            .Produces<DeletedCertificateDocument>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithExample(StatusCodes.Status200OK, CertificateChangeExamples.Deleted)
            .WithExample(StatusCodes.Status400BadRequest, badId)
            .WithExample(StatusCodes.Status404NotFound, notFound)
            .WithExample(StatusCodes.Status409Conflict, ApiExamples.Problem(StatusCodes.Status409Conflict, "Conflict", DeletionPlan.ServedRefusal));
    }

    internal static ProblemHttpResult Conflict(string detail) => ApiProblems.Result(StatusCodes.Status409Conflict, "Conflict", detail);

    /// <summary>The Renew page's submit (<c>RenewPage.RenewAsync</c>), with the token's name as the actor and the call's host as the browser's.</summary>
    private static async Task<IResult> RenewAsync(string id, HttpContext http, RenewService renewals, InventoryService inventory,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJsonBody.ReadOptionalAsync<RenewCertificateBody>(http.Request, cancellationToken).ConfigureAwait(false);
        var certificateId = ApiQuery.Id(id, IdText);
        var key = body?.Key is { } text ? KeyAlgorithms.Parse(text) : null;
        if (problem is not null || !certificateId.IsSuccess || key is { IsSuccess: false })
        {
            return problem ?? ApiProblems.BadRequest(certificateId.Error ?? key!.Error!);
        }

        var plan = await renewals.PlanAsync(certificateId.Value, cancellationToken).ConfigureAwait(false);
        if (!plan.IsSuccess)
        {
            return await MissingAsync(inventory, certificateId.Value, cancellationToken).ConfigureAwait(false) ?? Conflict(plan.Error!);
        }

        if (plan.Value.RequestRefusal(body!.ValidityDays is not null, body.SetAsDefault == true, "validityDays", "setAsDefault") is { } refusal)
        {
            return Conflict(refusal);
        }

        var actor = ApiTokenDefaults.Actor(http.User);
        var listener = http.RequestServices.GetService<ListenerService>();
        // As on the page: the new certificate takes the old one's place, so the default moves with it. With a listener the
        // apply sets the default after its pre-flight; without one the service stores it directly.
        var wantsDefault = (body.SetAsDefault == true || plan.Value.IsDefault) && plan.Value.AuthorityId is not null;
        var renewal = await renewals.RenewAsync(certificateId.Value, key?.Value, wantsDefault && listener is null, actor, body.ValidityDays, cancellationToken)
            .ConfigureAwait(false);
        if (!renewal.IsSuccess)
        {
            return ApiProblems.BadRequest(renewal.Error!);
        }

        if (renewal.Value.Request is { } request)
        {
            return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"{ApiExtensions.Prefix}/requests/{request.Id}"),
                new RenewalDocument(certificateId.Value, null, PendingRequestDocument.From(request), false, null, renewal.Warnings));
        }

        var renewedId = renewal.Value.CertificateId!.Value;
        var apply = !wantsDefault ? ApplyOutcome.NotRequested
            : listener is null ? ApplyOutcome.Stored
            : await DefaultApply.ApplyAsync(listener, renewedId, AdminHost(http.Request), body.Confirmed == true, actor).ConfigureAwait(false);
        var details = await inventory.GetAsync(renewedId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"{ApiExtensions.Prefix}/certificates/{renewedId}"),
            new RenewalDocument(certificateId.Value, CertificateDocument.From(details.Value), null, apply.Requested, apply.Error,
                [.. renewal.Warnings, .. apply.Warnings]));
    }

    /// <summary>The apply dialog's "Apply to the panel": the listener's pre-flight, switch and handshake check.</summary>
    private static async Task<IResult> SetDefaultAsync(string id, HttpContext http, InventoryService inventory, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJsonBody.ReadOptionalAsync<SetDefaultBody>(http.Request, cancellationToken).ConfigureAwait(false);
        var certificateId = ApiQuery.Id(id, IdText);
        if (problem is not null || !certificateId.IsSuccess)
        {
            return problem ?? ApiProblems.BadRequest(certificateId.Error!);
        }

        if (await MissingAsync(inventory, certificateId.Value, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        var actor = ApiTokenDefaults.Actor(http.User);
        if (http.RequestServices.GetService<ListenerService>() is not { } listener)
        {
            var stored = await inventory.SetDefaultAsync(certificateId.Value, actor, cancellationToken).ConfigureAwait(false);
            return stored.IsSuccess
                ? TypedResults.Ok(new DefaultCertificateDocument(stored.Value, null, null, stored.Warnings))
                : Conflict(stored.Error!);
        }

        var applied = await listener.ApplyAsync(certificateId.Value, AdminHost(http.Request), body!.Confirmed == true, actor, cancellationToken)
            .ConfigureAwait(false);
        return applied.IsSuccess
            ? TypedResults.Ok(new DefaultCertificateDocument(applied.Value.CertificateId, applied.Value.PreviousCertificateId, applied.Value.Thumbprint,
                applied.Warnings))
            : Conflict(applied.Error!);
    }

    /// <summary>The delete dialog's plan and delete; <c>force</c> is the dialog's "anyway" and the command line's --force.</summary>
    private static async Task<IResult> DeleteAsync(string id, HttpContext http, InventoryService inventory, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Problem(http.Request.Query, DeleteParameters, "DELETE /api/v1/certificates/{id}");
        var force = ApiQuery.Flag(http.Request.Query, "force");
        var certificateId = ApiQuery.Id(id, IdText);
        if ((query ?? force.Error ?? certificateId.Error) is { } problem)
        {
            return ApiProblems.BadRequest(problem);
        }

        var plan = await inventory.PlanDeleteAsync(certificateId.Value, cancellationToken).ConfigureAwait(false);
        if (!plan.IsSuccess)
        {
            return ApiProblems.NotFound(plan.Error!);
        }

        var deleted = await inventory.DeleteAsync(certificateId.Value, force.Value, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return deleted.IsSuccess
            ? TypedResults.Ok(new DeletedCertificateDocument(deleted.Value, plan.Value.DeletesKey))
            : Conflict(deleted.Error!);
    }

    /// <summary>A 404 when nothing with this id is held here, else null: the services' own refusals then say what is wrong with it.</summary>
    private static async Task<ProblemHttpResult?> MissingAsync(InventoryService inventory, int id, CancellationToken cancellationToken)
    {
        var details = await inventory.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return details.IsSuccess ? null : ApiProblems.NotFound(details.Error!);
    }

    /// <summary>The name this call reached the panel by, which the certificate must cover unless confirmed, as the page's host must.</summary>
    private static string AdminHost(HttpRequest request) =>
        Uri.TryCreate($"{request.Scheme}://{request.Host.Value}/", UriKind.Absolute, out var address)
            ? DefaultApply.AdminHost(address)
            : request.Host.Host;
}
