using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Acme;

/// <summary>The POST endpoints of a directory (RFC 8555 §7.1.1), as the web layer routes them.</summary>
public enum AcmeEndpoint
{
    NewAccount,
    Account,
    AccountOrders,
    KeyChange,
    NewOrder,
    Order,
    Finalize,
    Authorization,
    Challenge,
    Certificate,
    RevokeCert,
}

/// <summary>Where a request came in: the directory, its URLs as the client addressed them, the exact request URL and the client's address.</summary>
public sealed record AcmeRequestContext(int AuthorityId, AcmeUrls Urls, string RequestUrl, string ClientAddress);

/// <summary>
/// The ACME protocol (RFC 8555) for the directories of CAs held here: every request's JWS is checked (form, nonce,
/// url, key) before anything is read or stored, then handed to the resource it names. Answers are resources or
/// problem documents; the web layer only moves bytes and headers.
/// </summary>
public sealed partial class AcmeServer(PanelStorage storage, AcmeNonces nonces, AcmeValidations validations, SigningService signing, AcmeRateLimits limits,
    TimeProvider time)
{
    /// <summary>How long an order and its authorizations stay open for the client to finish.</summary>
    public static readonly TimeSpan OrderLifetime = TimeSpan.FromDays(7);

    public AcmeNonces Nonces => nonces;

    public AcmeRateLimits RateLimits => limits;

    /// <summary>The directory object (RFC 8555 §7.1.1), or a problem when the CA has no directory turned on.</summary>
    public async Task<AcmeResponse> DirectoryAsync(AcmeRequestContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = storage.CreateContext();
        var directory = await EnabledDirectoryAsync(db, context.AuthorityId, cancellationToken).ConfigureAwait(false);
        if (!directory.IsSuccess)
        {
            return directory.Problem!;
        }

        var urls = context.Urls;
        return AcmeResponse.Ok(new JsonObject
        {
            ["newNonce"] = urls.NewNonce,
            ["newAccount"] = urls.NewAccount,
            ["newOrder"] = urls.NewOrder,
            ["revokeCert"] = urls.RevokeCert,
            ["keyChange"] = urls.KeyChange,
            ["renewalInfo"] = urls.RenewalInfo,
            ["meta"] = new JsonObject
            {
                ["externalAccountRequired"] = directory.Value.RequireEab,
                ["profiles"] = new JsonObject(),
            },
        });
    }

    /// <summary>Whether the directory answers at all (newNonce's HEAD and GET check only this).</summary>
    public async Task<AcmeProblem?> CheckOpenAsync(int authorityId, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var directory = await EnabledDirectoryAsync(db, authorityId, cancellationToken).ConfigureAwait(false);
        return directory.Problem;
    }

    /// <summary>Handles a POST to <paramref name="endpoint"/> (with the id from its URL, if any).</summary>
    public async Task<AcmeResponse> PostAsync(AcmeRequestContext context, AcmeEndpoint endpoint, int? id, ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken = default) => await PostAsync(context, endpoint, id, 0, body, cancellationToken).ConfigureAwait(false);

    /// <summary>Handles a POST to <paramref name="endpoint"/>; <paramref name="alternate"/> is the chain asked for at a certificate's alternate URL.</summary>
    public async Task<AcmeResponse> PostAsync(AcmeRequestContext context, AcmeEndpoint endpoint, int? id, int alternate, ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var jws = AcmeJws.Parse(body.Span);
        if (!jws.IsSuccess)
        {
            return jws.Problem!;
        }

        var request = jws.Value;
        if (!string.Equals(request.Url, context.RequestUrl, StringComparison.Ordinal))
        {
            // RFC 8555 §6.4: a signed request for another URL is refused, so a captured request cannot be replayed elsewhere.
            return AcmeProblem.Unauthorized($"The JWS \"url\" is not the URL this request was sent to ({context.RequestUrl}).");
        }

        if (!nonces.TryConsume(request.Nonce))
        {
            return AcmeProblem.BadNonce("The nonce was used, expired or never issued here. Retry with the nonce in this answer's Replay-Nonce header.");
        }

        await using var db = storage.CreateContext();
        var directory = await EnabledDirectoryAsync(db, context.AuthorityId, cancellationToken).ConfigureAwait(false);
        if (!directory.IsSuccess)
        {
            return directory.Problem!;
        }

        var byKey = endpoint is AcmeEndpoint.NewAccount || (endpoint is AcmeEndpoint.RevokeCert && request.Jwk is not null);
        if (byKey)
        {
            if (request.Jwk is null)
            {
                return AcmeProblem.Malformed("A newAccount request names its key in \"jwk\", not an account in \"kid\".");
            }

            if (!request.VerifyWith(request.Jwk))
            {
                return AcmeProblem.Malformed("The JWS signature does not verify with the \"jwk\" it carries.");
            }

            return endpoint == AcmeEndpoint.NewAccount
                ? await NewAccountAsync(db, context, directory.Value, request, cancellationToken).ConfigureAwait(false)
                : await RevokeByKeyAsync(db, context, directory.Value, request, cancellationToken).ConfigureAwait(false);
        }

        if (request.KeyId is null)
        {
            return AcmeProblem.Malformed("This request must name its account in \"kid\" (the account URL), not carry a \"jwk\".");
        }

        var account = await AccountAsync(db, context, directory.Value, request, cancellationToken).ConfigureAwait(false);
        if (!account.IsSuccess)
        {
            return account.Problem!;
        }

        var caller = new Caller(context, directory.Value, account.Value, request);
        return endpoint switch
        {
            AcmeEndpoint.Account => await AccountUpdateAsync(db, caller, id, cancellationToken).ConfigureAwait(false),
            AcmeEndpoint.AccountOrders => await AccountOrdersAsync(db, caller, id, cancellationToken).ConfigureAwait(false),
            AcmeEndpoint.KeyChange => await KeyChangeAsync(db, caller, cancellationToken).ConfigureAwait(false),
            AcmeEndpoint.NewOrder => await NewOrderAsync(db, caller, cancellationToken).ConfigureAwait(false),
            AcmeEndpoint.Order => await OrderAsync(db, caller, id, cancellationToken).ConfigureAwait(false),
            AcmeEndpoint.Finalize => await FinalizeAsync(db, caller, id, cancellationToken).ConfigureAwait(false),
            AcmeEndpoint.Authorization => await AuthorizationAsync(db, caller, id, cancellationToken).ConfigureAwait(false),
            AcmeEndpoint.Challenge => await ChallengeAsync(db, caller, id, cancellationToken).ConfigureAwait(false),
            AcmeEndpoint.Certificate => await CertificateAsync(db, caller, id, alternate, cancellationToken).ConfigureAwait(false),
            AcmeEndpoint.RevokeCert => await RevokeByAccountAsync(db, caller, cancellationToken).ConfigureAwait(false),
            _ => AcmeProblem.Malformed("Unknown ACME resource."),
        };
    }

    /// <summary>A request that passed the gate: its directory, its account and its JWS.</summary>
    private sealed record Caller(AcmeRequestContext Context, AcmeDirectoryRecord Directory, AcmeAccountRecord Account, AcmeJws Request)
    {
        public AcmeUrls Urls => Context.Urls;
    }

    private static async Task<AcmeOutcome<AcmeDirectoryRecord>> EnabledDirectoryAsync(PanelDbContext db, int authorityId, CancellationToken cancellationToken)
    {
        var directory = await db.AcmeDirectories.AsNoTracking().SingleOrDefaultAsync(d => d.AuthorityId == authorityId, cancellationToken).ConfigureAwait(false);
        if (directory is null || !directory.Enabled)
        {
            return new AcmeProblem("about:blank", $"There is no ACME directory for CA {authorityId} here, or it is turned off. The panel's ACME page shows the directory URLs that work.", 404);
        }

        return directory;
    }

    private static async Task<AcmeOutcome<AcmeAccountRecord>> AccountAsync(PanelDbContext db, AcmeRequestContext context, AcmeDirectoryRecord directory,
        AcmeJws request, CancellationToken cancellationToken)
    {
        if (!context.Urls.TryAccountId(request.KeyId, out var accountId))
        {
            return AcmeProblem.AccountDoesNotExist($"\"kid\" is not an account URL of this directory (they start with {context.Urls.Base}account/).");
        }

        var account = await db.AcmeAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId && a.DirectoryId == directory.Id, cancellationToken)
            .ConfigureAwait(false);
        if (account is null)
        {
            return AcmeProblem.AccountDoesNotExist("There is no such account in this directory. Register again with newAccount.");
        }

        var key = AcmeKeys.Read(account.Jwk);
        if (!request.VerifyWith(key))
        {
            return AcmeProblem.Unauthorized("The JWS signature does not verify with the account's key.");
        }

        if (account.Status != AcmeStatus.Valid)
        {
            return AcmeProblem.Unauthorized($"The account is {account.Status}; it can no longer be used. Register a new account.");
        }

        return account;
    }

    private DateTimeOffset Now => time.GetUtcNow();

    internal static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
