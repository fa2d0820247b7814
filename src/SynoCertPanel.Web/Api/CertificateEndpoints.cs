using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Components.Wizards;

namespace SynoCertPanel.Web.Api;

/// <summary><c>/api/v1/certificates</c>: the inventory through the same services as the page and `cert list`.</summary>
internal static class CertificateEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var certificates = api.MapGroup("/certificates");
        certificates.MapGet("/", ListAsync).RequireScope(ApiScopes.CertificatesRead);
        certificates.MapGet("/{id}", GetAsync).RequireScope(ApiScopes.CertificatesRead);
        certificates.MapPost("/", CreateAsync).RequireScope(ApiScopes.CertificatesWrite);
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
