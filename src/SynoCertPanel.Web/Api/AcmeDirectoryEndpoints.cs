using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// <c>/api/v1/acme</c>: each CA held here as an ACME directory, as `acme enable|update|disable|show|resolve` handle it,
/// through <see cref="AcmeDirectoryService"/>. Reading needs <c>certificates:read</c>; every change needs <c>acme:admin</c>.
/// The EAB keys, accounts and orders are in <see cref="AcmeAccountEndpoints"/>.
/// </summary>
internal static class AcmeDirectoryEndpoints
{
    public const string Tag = "ACME";

    internal const string Path = "/acme";

    internal const string CaIdDescription = "The CA's id, as in GET /api/v1/authorities.";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet(Path, ListAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListAcmeDirectories")
            .WithSummary("List ACME directories")
            .WithDescription("Every CA's ACME directory, on or off, with its URL, its policy and its counts.")
            .WithExample(StatusCodes.Status200OK, AcmeExamples.List);
        api.MapGet(Path + "/resolver", ResolverAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("GetAcmeResolver")
            .WithSummary("The validation resolver list")
            .WithDescription("The NAME=ADDRESS entries validation uses before DNS, as `acme resolve` prints them.")
            .WithExample(StatusCodes.Status200OK, AcmeExamples.Resolver);
        api.MapPut(Path + "/resolver", SetResolverAsync).WithTags(Tag).RequireScope(ApiScopes.AcmeAdmin)
            .WithName("SetAcmeResolver")
            .WithSummary("Set the validation resolver list")
            .WithDescription("""
                Replaces the NAME=ADDRESS entries validation uses before DNS (for names the panel cannot look up); an empty list
                clears it. Nothing is stored when one entry is wrong. In the audit log as `acme.resolve`.
                """)
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<SetAcmeResolverBody>(AcmeExamples.SetResolver))
            .Produces<AcmeResolverDocument>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status200OK, AcmeExamples.Resolver)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "\"pve.home.arpa\" is not NAME=ADDRESS (for example nas.lab.internal=192.168.1.20)."));
        api.MapGet(Path + "/{id}", GetAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("GetAcmeDirectory")
            .WithSummary("Show an ACME directory")
            .WithDescription("The CA's directory, as `acme show` prints it, with the URL to give clients on the address this call used.")
            .AddOpenApiOperationTransformer(ApiDescriptions.Id(CaIdDescription, 1))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, AcmeExamples.Item)
            .WithExample(StatusCodes.Status400BadRequest, BadId)
            .WithExample(StatusCodes.Status404NotFound, NoDirectory);
        api.MapPut(Path + "/{id}", EnableAsync).WithTags(Tag).RequireScope(ApiScopes.AcmeAdmin)
            .WithName("EnableAcmeDirectory")
            .WithSummary("Turn an ACME directory on")
            .WithDescription("""
                Turns the CA's directory on, as `acme enable` does: the first time with the defaults (90 days, http-01 on port 80,
                EAB required, the CA's name constraints), each with what the body gives. A CA without name constraints needs
                `allowDns` or `allowIp`; a CA whose key is not held here, or that is not valid now, cannot be turned on. Nothing
                is stored when a value is refused. In the audit log as `acme.enable`.
                """)
            .AddOpenApiOperationTransformer(ApiDescriptions.Id(CaIdDescription, 1))
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<AcmePolicyBody>(AcmeExamples.Policy, required: false))
            .Produces<AcmeDirectoryItem>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status200OK, AcmeExamples.Item)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "The lifetime must be whole hours from 1 hour to 397 days (browsers refuse longer); 90 days is usual."))
            .WithExample(StatusCodes.Status404NotFound, NoCa);
        api.MapPatch(Path + "/{id}", UpdateAsync).WithTags(Tag).RequireScope(ApiScopes.AcmeAdmin)
            .WithName("UpdateAcmeDirectory")
            .WithSummary("Change an ACME directory's policy")
            .WithDescription("""
                Changes what the body gives, as `acme update` does; on or off stays as it is. The lists replace the stored ones.
                Nothing is stored when a value is refused. In the audit log as `acme.update`.
                """)
            .AddOpenApiOperationTransformer(ApiDescriptions.Id(CaIdDescription, 1))
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<AcmePolicyBody>(AcmeExamples.Update))
            .Produces<AcmeDirectoryItem>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status200OK, AcmeExamples.Item)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "\"192.168.1.0/33\" is not an address range (CIDR)."))
            .WithExample(StatusCodes.Status404NotFound, NoDirectory);
        api.MapPost(Path + "/{id}/disable", DisableAsync).WithTags(Tag).RequireScope(ApiScopes.AcmeAdmin)
            .WithName("DisableAcmeDirectory")
            .WithSummary("Turn an ACME directory off")
            .WithDescription("""
                Turns the directory off, as `acme disable` does: its URLs answer 404; its accounts, EAB keys and policy are kept
                for turning it on again. In the audit log as `acme.disable`.
                """)
            .AddOpenApiOperationTransformer(ApiDescriptions.Id(CaIdDescription, 1))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, AcmeExamples.Item with { Enabled = false })
            .WithExample(StatusCodes.Status400BadRequest, BadId)
            .WithExample(StatusCodes.Status404NotFound, NoDirectory);
    }

    internal static object BadId => ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request", "A CA id is a whole number from 1 up; \"abc\" was given.");

    internal static object NoDirectory => ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found",
        "The CA with id 3 has no ACME directory. Turn it on with acme enable --ca 3.");

    private static object NoCa => ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found", "There is no CA with id 42 held here.");

    /// <summary>The panel's address as this call reached it: the directory URL a client on the same network would use.</summary>
    internal static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>The CA id of the route and its directory; a problem (400 for a bad id, 404 when there is none) otherwise.</summary>
    internal static async Task<(AcmeDirectorySummary? Directory, ProblemHttpResult? Problem)> FindAsync(string id, AcmeDirectoryService directories,
        CancellationToken cancellationToken)
    {
        var authorityId = ApiQuery.Id(id, "A CA id");
        if (!authorityId.IsSuccess)
        {
            return (null, ApiProblems.BadRequest(authorityId.Error!));
        }

        var shown = await directories.ShowAsync(authorityId.Value, cancellationToken).ConfigureAwait(false);
        return shown.IsSuccess ? (shown.Value, null) : (null, ApiProblems.NotFound(shown.Error!));
    }

    private static async Task<Ok<AcmeDirectoryList>> ListAsync(HttpRequest request, AcmeDirectoryService directories, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AcmeDirectoryList([.. (await directories.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(d => AcmeDirectoryItem.From(d, Origin(request)))]));

    private static async Task<Results<Ok<AcmeDirectoryItem>, ProblemHttpResult>> GetAsync(string id, HttpRequest request, AcmeDirectoryService directories,
        CancellationToken cancellationToken)
    {
        var (directory, problem) = await FindAsync(id, directories, cancellationToken).ConfigureAwait(false);
        return problem is null ? TypedResults.Ok(AcmeDirectoryItem.From(directory!, Origin(request))) : problem;
    }

    private static async Task<IResult> EnableAsync(string id, HttpContext http, AcmeDirectoryService directories, AuthorityService authorities,
        CancellationToken cancellationToken)
    {
        var authorityId = ApiQuery.Id(id, "A CA id");
        if (!authorityId.IsSuccess)
        {
            return ApiProblems.BadRequest(authorityId.Error!);
        }

        if (!(await authorities.ListAsync(cancellationToken).ConfigureAwait(false)).Any(a => a.Id == authorityId.Value))
        {
            return ApiProblems.NotFound(string.Create(CultureInfo.InvariantCulture, $"There is no CA with id {authorityId.Value} held here."));
        }

        var (body, problem) = await ApiJsonBody.ReadOptionalAsync<AcmePolicyBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var draft = body!.ToDraft();
        if (!draft.IsSuccess)
        {
            return ApiProblems.BadRequest(draft.Error!);
        }

        var enabled = await directories.EnableAsync(authorityId.Value, draft.Value, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return enabled.IsSuccess ? TypedResults.Ok(AcmeDirectoryItem.From(enabled.Value, Origin(http.Request))) : ApiProblems.BadRequest(enabled.Error!);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, AcmeDirectoryService directories, CancellationToken cancellationToken)
    {
        var (directory, missing) = await FindAsync(id, directories, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return missing;
        }

        var (body, problem) = await ApiJsonBody.ReadAsync<AcmePolicyBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var draft = body!.ToDraft();
        if (!draft.IsSuccess)
        {
            return ApiProblems.BadRequest(draft.Error!);
        }

        var updated = await directories.UpdateAsync(directory!.AuthorityId, draft.Value, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return updated.IsSuccess ? TypedResults.Ok(AcmeDirectoryItem.From(updated.Value, Origin(http.Request))) : ApiProblems.BadRequest(updated.Error!);
    }

    private static async Task<Results<Ok<AcmeDirectoryItem>, ProblemHttpResult>> DisableAsync(string id, HttpContext http, AcmeDirectoryService directories,
        CancellationToken cancellationToken)
    {
        var (directory, missing) = await FindAsync(id, directories, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return missing;
        }

        var disabled = await directories.DisableAsync(directory!.AuthorityId, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return disabled.IsSuccess ? TypedResults.Ok(AcmeDirectoryItem.From(disabled.Value, Origin(http.Request))) : ApiProblems.BadRequest(disabled.Error!);
    }

    private static async Task<Ok<AcmeResolverDocument>> ResolverAsync(AcmeResolver resolver, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AcmeResolverDocument([.. (await resolver.OverridesAsync(cancellationToken).ConfigureAwait(false))
            .SelectMany(p => p.Value.Select(a => $"{p.Key}={a}"))]));

    private static async Task<IResult> SetResolverAsync(HttpContext http, AcmeDirectoryService directories, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJsonBody.ReadAsync<SetAcmeResolverBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var set = await directories.SetResolverAsync(body!.Entries ?? [], ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return set.IsSuccess
            ? TypedResults.Ok(new AcmeResolverDocument(set.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)))
            : ApiProblems.BadRequest(set.Error!);
    }
}
