using System.Globalization;
using System.Text;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Components.Signing;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// <c>POST /api/v1/certificates/sign</c>: a CA held here signs a CSR made on another box, with the Sign CSR wizard's
/// choices (<see cref="SigningDraft"/>) and <see cref="SigningService"/>, as `csr sign` does.
/// </summary>
internal static class SigningEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/certificates/sign", SignAsync).WithTags(CertificateEndpoints.Tag).RequireScope(ApiScopes.CertificatesWrite)
            .WithName("SignRequest")
            .WithSummary("Sign a CSR from another box")
            .WithDescription("""
                A CA held here signs the request (PEM in `csr`) as a server certificate, with the Sign CSR wizard's rules: the
                names are the request's DNS names and IP addresses (or its common name when it has none) unless
                `alternativeNames` replaces them, the validity is the server profile's unless given, and the CA is the wizard's
                choice unless `authorityId` names one. The certificate is kept here (without a key: that stays on the other
                box) and the answer carries it with its chain, for the other box to import. The change is in the audit log as
                `token:NAME`. The answer's `Location` is the new certificate.
                """)
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<SignRequestBody>(CertificateChangeExamples.Sign,
                location: "The new certificate's address, for GET /api/v1/certificates/{id}."))
            .Produces<CertificateDocument>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status201Created, CertificateChangeExamples.Signed)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "The certificate signing request's signature does not verify: it was altered or damaged after it was made."));

    private static async Task<IResult> SignAsync(HttpContext http, SigningService signing, AuthorityService authorities, InventoryService inventory,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiJsonBody.ReadAsync<SignRequestBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var request = SigningRequestReader.Read(Encoding.UTF8.GetBytes(body!.Csr ?? string.Empty));
        var names = body.AlternativeNames is { } given ? SanParser.ParseAll(given) : null;
        if ((request.Error ?? names?.Error) is { } error)
        {
            return ApiProblems.BadRequest(error);
        }

        var draft = new SigningDraft();
        draft.UseRequest(request.Value);
        if (names is not null)
        {
            draft.Names.Clear();
            draft.Names.AddRange(names.Value);
        }

        if (body.ValidityDays is { } days)
        {
            draft.ValidityDays = days;
        }

        var held = await authorities.ListAsync(cancellationToken).ConfigureAwait(false);
        var authorityId = body.AuthorityId
            ?? AuthorityChoice.Preferred(held, await authorities.LastUsedAsync(cancellationToken).ConfigureAwait(false));
        if (authorityId is null)
        {
            return ApiProblems.BadRequest("Choose the CA that signs: give authorityId (GET /api/v1/authorities lists them).");
        }

        if (held.All(a => a.Id != authorityId))
        {
            return ApiProblems.BadRequest(string.Create(CultureInfo.InvariantCulture, $"There is no CA with id {authorityId} held here."));
        }

        var signed = await signing.SignAsync(authorityId.Value, request.Value, draft.ToOptions(), body.Description ?? string.Empty,
            ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        if (!signed.IsSuccess)
        {
            return ApiProblems.BadRequest(signed.Error!);
        }

        var details = await inventory.GetAsync(signed.Value.CertificateId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"{ApiExtensions.Prefix}/certificates/{signed.Value.CertificateId}"),
            CertificateDocument.From(details.Value));
    }
}
