using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// <c>/api/v1/acme/{id}/…</c>: a directory's EAB keys, accounts and orders, as `acme eab|accounts|orders` handle them.
/// Reading needs <c>certificates:read</c>; making or revoking a key and deactivating an account need <c>acme:admin</c>.
/// An HMAC key goes out once, in the answer that made it.
/// </summary>
internal static class AcmeAccountEndpoints
{
    private const string Path = AcmeDirectoryEndpoints.Path + "/{id}";

    private const int DefaultLimit = 50;

    private const int MaxLimit = 1000;

    private static readonly string[] Known = ["limit"];

    private static readonly Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> CaId =
        ApiDescriptions.Id(AcmeDirectoryEndpoints.CaIdDescription, 1);

    public static void Map(RouteGroupBuilder api)
    {
        var tag = AcmeDirectoryEndpoints.Tag;
        api.MapGet(Path + "/eab-keys", KeysAsync).WithTags(tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListAcmeEabKeys")
            .WithSummary("List a directory's EAB keys")
            .WithDescription("The directory's EAB keys, oldest first, with the account each bound and when it was revoked. Never an HMAC key.")
            .AddOpenApiOperationTransformer(CaId)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, AcmeExamples.Keys)
            .WithExample(StatusCodes.Status400BadRequest, AcmeDirectoryEndpoints.BadId)
            .WithExample(StatusCodes.Status404NotFound, AcmeDirectoryEndpoints.NoDirectory);
        api.MapPost(Path + "/eab-keys", CreateKeyAsync).WithTags(tag).RequireScope(ApiScopes.AcmeAdmin)
            .WithName("CreateAcmeEabKey")
            .WithSummary("Make an EAB key")
            .WithDescription("""
                Makes an external account binding key for the directory, as `acme eab create` does. The HMAC key is in this answer
                once and never again (it is sealed here); give it to one client with the key id. In the audit log as `acme.eab-create`.
                """)
            .AddOpenApiOperationTransformer(CaId)
            .AddOpenApiOperationTransformer(ApiDescriptions.Body<CreateAcmeEabKeyBody>(AcmeExamples.Create, required: false,
                location: "The directory's EAB key list, for GET /api/v1/acme/{id}/eab-keys."))
            .Produces<AcmeEabKeyCreatedDocument>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status201Created, AcmeExamples.Created)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "The label is at most 100 characters with no control characters (for example \"proxmox\")."))
            .WithExample(StatusCodes.Status404NotFound, AcmeDirectoryEndpoints.NoDirectory);
        api.MapPost(Path + "/eab-keys/{keyId}/revoke", RevokeKeyAsync).WithTags(tag).RequireScope(ApiScopes.AcmeAdmin)
            .WithName("RevokeAcmeEabKey")
            .WithSummary("Revoke an EAB key")
            .WithDescription("No new account can use the key; an account it already opened keeps working (deactivate that one too). In the audit log as `acme.eab-revoke`.")
            .AddOpenApiOperationTransformer(CaId)
            .AddOpenApiOperationTransformer(ApiDescriptions.PathParameter("keyId", "The key id, as in the list.", AcmeExamples.Key.KeyId))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, AcmeExamples.Revoked)
            .WithExample(StatusCodes.Status400BadRequest, AcmeDirectoryEndpoints.BadId)
            .WithExample(StatusCodes.Status404NotFound, ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found",
                "There is no EAB key \"0badc0de\" for this CA's directory."));
        api.MapGet(Path + "/accounts", AccountsAsync).WithTags(tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListAcmeAccounts")
            .WithSummary("List a directory's accounts")
            .WithDescription("The directory's accounts, oldest first: key thumbprint, contacts, status, when and from where each was opened, its EAB key, its last order.")
            .AddOpenApiOperationTransformer(CaId)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, AcmeExamples.Accounts)
            .WithExample(StatusCodes.Status400BadRequest, AcmeDirectoryEndpoints.BadId)
            .WithExample(StatusCodes.Status404NotFound, AcmeDirectoryEndpoints.NoDirectory);
        api.MapPost(Path + "/accounts/{account}/deactivate", DeactivateAsync).WithTags(tag).RequireScope(ApiScopes.AcmeAdmin)
            .WithName("DeactivateAcmeAccount")
            .WithSummary("Deactivate an account")
            .WithDescription("""
                Deactivates the account from the panel (RFC 8555 §7.3.6 lets the client do it too): it can order, finalize and
                revoke no more. It cannot be undone; the client opens a new account. In the audit log as `acme.account-deactivate`.
                """)
            .AddOpenApiOperationTransformer(CaId)
            .AddOpenApiOperationTransformer(ApiDescriptions.PathParameter("account", "The account's id, as in the list.", "2"))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, AcmeExamples.Account with { Status = AcmeStatus.Deactivated })
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "An account id is a whole number from 1 up; \"abc\" was given."))
            .WithExample(StatusCodes.Status404NotFound, ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found",
                "There is no account 9 in this CA's directory."));
        api.MapGet(Path + "/orders", OrdersAsync).WithTags(tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ListAcmeOrders")
            .WithSummary("List a directory's orders")
            .WithDescription("The directory's orders, newest first, with their state, the certificate issued and the reason for each failure.")
            .AddOpenApiOperationTransformer(CaId)
            .AddOpenApiOperationTransformer(ApiDescriptions.Query(
                ("limit", "How many orders to return at most.", ApiDescriptions.Number(1, MaxLimit, DefaultLimit), 20)))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status200OK, AcmeExamples.Orders)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "\"limit\" must be a whole number from 1 to 1000; \"all\" was given."))
            .WithExample(StatusCodes.Status404NotFound, AcmeDirectoryEndpoints.NoDirectory);
    }

    private static async Task<Results<Ok<AcmeEabKeyList>, ProblemHttpResult>> KeysAsync(string id, AcmeDirectoryService directories, CancellationToken cancellationToken)
    {
        var (directory, missing) = await AcmeDirectoryEndpoints.FindAsync(id, directories, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return missing;
        }

        var keys = await directories.EabKeysAsync(directory!.AuthorityId, cancellationToken).ConfigureAwait(false);
        return keys.IsSuccess ? TypedResults.Ok(new AcmeEabKeyList([.. keys.Value.Select(AcmeEabKeyItem.From)])) : ApiProblems.NotFound(keys.Error!);
    }

    private static async Task<IResult> CreateKeyAsync(string id, HttpContext http, AcmeDirectoryService directories, CancellationToken cancellationToken)
    {
        var (directory, missing) = await AcmeDirectoryEndpoints.FindAsync(id, directories, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return missing;
        }

        var (body, problem) = await ApiJsonBody.ReadOptionalAsync<CreateAcmeEabKeyBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var created = await directories.CreateEabKeyAsync(directory!.AuthorityId, body!.Label, ApiTokenDefaults.Actor(http.User), cancellationToken)
            .ConfigureAwait(false);
        return created.IsSuccess
            ? TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"{ApiExtensions.Prefix}{AcmeDirectoryEndpoints.Path}/{directory.AuthorityId}/eab-keys"),
                new AcmeEabKeyCreatedDocument(created.Value.KeyId, created.Value.HmacKey, created.Value.Label))
            : ApiProblems.BadRequest(created.Error!);
    }

    private static async Task<Results<Ok<AcmeEabKeyItem>, ProblemHttpResult>> RevokeKeyAsync(string id, string keyId, HttpContext http,
        AcmeDirectoryService directories, CancellationToken cancellationToken)
    {
        var (directory, missing) = await AcmeDirectoryEndpoints.FindAsync(id, directories, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return missing;
        }

        var revoked = await directories.RevokeEabKeyAsync(directory!.AuthorityId, keyId, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        return revoked.IsSuccess ? TypedResults.Ok(AcmeEabKeyItem.From(revoked.Value)) : ApiProblems.NotFound(revoked.Error!);
    }

    private static async Task<Results<Ok<AcmeAccountList>, ProblemHttpResult>> AccountsAsync(string id, AcmeDirectoryService directories,
        CancellationToken cancellationToken)
    {
        var (directory, missing) = await AcmeDirectoryEndpoints.FindAsync(id, directories, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return missing;
        }

        var accounts = await directories.AccountsAsync(directory!.AuthorityId, cancellationToken).ConfigureAwait(false);
        return accounts.IsSuccess ? TypedResults.Ok(new AcmeAccountList([.. accounts.Value.Select(AcmeAccountItem.From)])) : ApiProblems.NotFound(accounts.Error!);
    }

    private static async Task<Results<Ok<AcmeAccountItem>, ProblemHttpResult>> DeactivateAsync(string id, string account, HttpContext http,
        AcmeDirectoryService directories, CancellationToken cancellationToken)
    {
        var (directory, missing) = await AcmeDirectoryEndpoints.FindAsync(id, directories, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return missing;
        }

        var accountId = ApiQuery.Id(account, "An account id");
        if (!accountId.IsSuccess)
        {
            return ApiProblems.BadRequest(accountId.Error!);
        }

        var deactivated = await directories.DeactivateAccountAsync(directory!.AuthorityId, accountId.Value, ApiTokenDefaults.Actor(http.User), cancellationToken)
            .ConfigureAwait(false);
        return deactivated.IsSuccess ? TypedResults.Ok(AcmeAccountItem.From(deactivated.Value)) : ApiProblems.NotFound(deactivated.Error!);
    }

    private static async Task<Results<Ok<AcmeOrderList>, ProblemHttpResult>> OrdersAsync(string id, HttpRequest request, AcmeDirectoryService directories,
        CancellationToken cancellationToken)
    {
        var limit = ApiQuery.Number(request.Query, "limit", DefaultLimit, 1, MaxLimit);
        if ((ApiQuery.Problem(request.Query, Known, "the order list") ?? limit.Error) is { } problem)
        {
            return ApiProblems.BadRequest(problem);
        }

        var (directory, missing) = await AcmeDirectoryEndpoints.FindAsync(id, directories, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
        {
            return missing;
        }

        var orders = await directories.OrdersAsync(directory!.AuthorityId, limit.Value, cancellationToken).ConfigureAwait(false);
        return orders.IsSuccess ? TypedResults.Ok(new AcmeOrderList([.. orders.Value.Select(AcmeOrderItem.From)])) : ApiProblems.NotFound(orders.Error!);
    }
}
