using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary><c>/api/v1/authorities</c>: the CAs held here, as the Authorities page and `ca list` show them, through <see cref="AuthorityService"/>.</summary>
internal static class AuthorityEndpoints
{
    public const string Tag = "Authorities";

    private const string Path = "/authorities";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet(Path, ListAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListAuthorities")
            .WithSummary("List CAs")
            .WithDescription("The CAs held here, the operator's own first (the panel's start-up root last), with the ids that `authorityId` takes. Never a key.")
            .WithExample(StatusCodes.Status200OK, AuthorityExamples.List);
        api.MapGet(Path + "/{id}", GetAsync).WithTags(Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("GetAuthority")
            .WithSummary("Show a CA")
            .WithDescription("The CA's facts, its certificate as PEM (for clients to trust) and the certificates held here that it signed. Never a key.")
            .AddOpenApiOperationTransformer(ApiDescriptions.Id("The CA's id, as in the list.", 1))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, AuthorityExamples.Document)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "A CA id is a whole number from 1 up; \"abc\" was given."))
            .WithExample(StatusCodes.Status404NotFound, ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found", "There is no CA with id 42 held here."));
    }

    private static async Task<Ok<AuthorityList>> ListAsync(AuthorityService authorities, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AuthorityList((await authorities.ListAsync(cancellationToken).ConfigureAwait(false)).Select(AuthorityItem.From).ToList()));

    private static async Task<Results<Ok<AuthorityDocument>, ProblemHttpResult>> GetAsync(string id, AuthorityService authorities, InventoryService inventory,
        CancellationToken cancellationToken)
    {
        var authorityId = ApiQuery.Id(id, "A CA id");
        if (!authorityId.IsSuccess)
        {
            return ApiProblems.BadRequest(authorityId.Error!);
        }

        var authority = (await authorities.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => a.Id == authorityId.Value);
        var certificate = authority is null ? null : await inventory.GetAsync(authority.CertificateId, cancellationToken).ConfigureAwait(false);
        if (authority is null || certificate is not { IsSuccess: true })
        {
            return ApiProblems.NotFound(string.Create(CultureInfo.InvariantCulture, $"There is no CA with id {authorityId.Value} held here."));
        }

        var issued = await authorities.ListIssuedAsync(authority.Id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AuthorityDocument(AuthorityItem.From(authority), certificate.Value.Certificate.ToPem(),
            issued.Select(IssuedCertificateItem.From).ToList()));
    }
}
