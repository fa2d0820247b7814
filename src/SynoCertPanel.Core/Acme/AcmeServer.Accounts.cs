using System.Net.Mail;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Acme;

public sealed partial class AcmeServer
{
    public const string NewAccountAction = "acme.account-create";
    public const string KeyChangeAction = "acme.key-change";

    /// <summary>Contacts per account at most; a client sends one or two.</summary>
    public const int MaxContacts = 10;

    private async Task<AcmeResponse> NewAccountAsync(PanelDbContext db, AcmeRequestContext context, AcmeDirectoryRecord directory, AcmeJws request,
        CancellationToken cancellationToken)
    {
        var jwk = request.Jwk!;
        var payload = request.ReadPayload();
        if (!payload.IsSuccess)
        {
            return payload.Problem!;
        }

        using var document = payload.Value;
        var root = document.RootElement;
        var existing = await db.AcmeAccounts.AsNoTracking()
            .SingleOrDefaultAsync(a => a.DirectoryId == directory.Id && a.Thumbprint == jwk.Thumbprint, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            // RFC 8555 §7.3.1: the key already has an account; say where it is rather than making a second one.
            return AcmeResponse.Ok(AccountJson(context.Urls, existing)) with { Location = context.Urls.Account(existing.Id) };
        }

        if (root.TryGetProperty("onlyReturnExisting", out var only) && only.ValueKind == JsonValueKind.True)
        {
            return AcmeProblem.AccountDoesNotExist("There is no account for this key in this directory.");
        }

        var contacts = Contacts(root);
        if (!contacts.IsSuccess)
        {
            return contacts.Problem!;
        }

        int? eabKeyId = null;
        var hasBinding = root.TryGetProperty("externalAccountBinding", out var binding);
        if (directory.RequireEab && !hasBinding)
        {
            return AcmeProblem.ExternalAccountRequired(
                "This directory needs an external account binding. Create an EAB key on the panel's ACME page and give its key id and HMAC key to the client (certbot --eab-kid/--eab-hmac-key, lego --eab --kid/--hmac).");
        }

        var limited = await limits.CheckNewAccountAsync(db, directory.Id, context.ClientAddress, cancellationToken).ConfigureAwait(false);
        if (limited is not null)
        {
            return limited;
        }

        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (hasBinding)
            {
                var keys = await db.AcmeEabKeys.Where(k => k.DirectoryId == directory.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
                var bound = ExternalAccountBinding.Verify(binding, request, keyId =>
                {
                    var key = keys.FirstOrDefault(k => k.KeyId == keyId && k.RevokedAt == null && k.AccountId == null);
                    return key is null ? null : storage.Protector.Open(key.SealedKey, AcmeDirectoryService.EabPurpose(key.KeyId));
                });
                if (!bound.IsSuccess)
                {
                    return bound.Problem!;
                }

                eabKeyId = keys.Single(k => k.KeyId == bound.Value).Id;
            }

            var now = Now;
            var account = db.AcmeAccounts.Add(new AcmeAccountRecord
            {
                DirectoryId = directory.Id,
                Thumbprint = jwk.Thumbprint,
                Jwk = jwk.CanonicalJson,
                Contact = string.Join('\n', contacts.Value),
                Status = AcmeStatus.Valid,
                EabKeyId = eabKeyId,
                CreatedFrom = context.ClientAddress,
                CreatedAt = now,
            }).Entity;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            if (eabKeyId is { } used)
            {
                var key = await db.AcmeEabKeys.SingleAsync(k => k.Id == used, cancellationToken).ConfigureAwait(false);
                key.AccountId = account.Id;
            }

            AuditLog.Add(db, now, Actor(account.Id), NewAccountAction, $"authority {context.AuthorityId}", AuditOutcome.Succeeded,
                $"account {account.Id} from {context.ClientAddress}" + (eabKeyId is null ? "" : " with an EAB key"));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return AcmeResponse.Created(AccountJson(context.Urls, account), context.Urls.Account(account.Id));
        }
        catch (DbUpdateException)
        {
            // Two requests with the same new key at once: the unique index keeps one account; the other learns where it is.
            return AcmeProblem.Malformed("An account for this key was made by a request at the same moment. Retry to learn its URL.");
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    private async Task<AcmeResponse> AccountUpdateAsync(PanelDbContext db, Caller caller, int? id, CancellationToken cancellationToken)
    {
        if (id != caller.Account.Id)
        {
            return AcmeProblem.Unauthorized("An account can only read or change itself.");
        }

        if (caller.Request.IsPostAsGet)
        {
            return AcmeResponse.Ok(AccountJson(caller.Urls, caller.Account));
        }

        var payload = caller.Request.ReadPayload();
        if (!payload.IsSuccess)
        {
            return payload.Problem!;
        }

        using var document = payload.Value;
        var root = document.RootElement;
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var account = await db.AcmeAccounts.SingleAsync(a => a.Id == caller.Account.Id, cancellationToken).ConfigureAwait(false);
            if (root.TryGetProperty("status", out var status))
            {
                if (status.ValueKind != JsonValueKind.String || status.GetString() != AcmeStatus.Deactivated)
                {
                    return AcmeProblem.Malformed("An account's status can only be changed to \"deactivated\".");
                }

                account.Status = AcmeStatus.Deactivated;
                await DeactivatePendingAsync(db, account.Id, cancellationToken).ConfigureAwait(false);
                AuditLog.Add(db, Now, Actor(account.Id), AcmeDirectoryService.DeactivateAccountAction, $"authority {caller.Context.AuthorityId}",
                    AuditOutcome.Succeeded, $"account {account.Id}, by its own key");
            }

            if (root.TryGetProperty("contact", out _))
            {
                var contacts = Contacts(root);
                if (!contacts.IsSuccess)
                {
                    return contacts.Problem!;
                }

                account.Contact = string.Join('\n', contacts.Value);
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return AcmeResponse.Ok(AccountJson(caller.Urls, account));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    private async Task<AcmeResponse> AccountOrdersAsync(PanelDbContext db, Caller caller, int? id, CancellationToken cancellationToken)
    {
        if (id != caller.Account.Id)
        {
            return AcmeProblem.Unauthorized("An account can only list its own orders.");
        }

        var now = Now;
        var ids = await db.AcmeOrders.AsNoTracking()
            .Where(o => o.AccountId == caller.Account.Id && (o.Status == AcmeStatus.Pending || o.Status == AcmeStatus.Ready || o.Status == AcmeStatus.Processing))
            .OrderByDescending(o => o.Id).Select(o => new { o.Id, o.ExpiresAt }).Take(1000).ToListAsync(cancellationToken).ConfigureAwait(false);
        return AcmeResponse.Ok(new JsonObject
        {
            ["orders"] = new JsonArray(ids.Where(o => o.ExpiresAt > now).Select(o => (JsonNode)JsonValue.Create(caller.Urls.Order(o.Id))).ToArray()),
        });
    }

    /// <summary>RFC 8555 §7.3.5: the inner JWS, signed by the new key, names the account and its old key.</summary>
    private async Task<AcmeResponse> KeyChangeAsync(PanelDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var payload = caller.Request.ReadPayload();
        if (!payload.IsSuccess)
        {
            return payload.Problem!;
        }

        using var document = payload.Value;
        var inner = AcmeJws.Parse(document.RootElement, requireNonce: false, AcmeJws.AllowedAlgorithms);
        if (!inner.IsSuccess)
        {
            return inner.Problem! with { Detail = "Key change: " + inner.Problem!.Detail };
        }

        var request = inner.Value;
        if (request.Jwk is null || request.Nonce is not null)
        {
            return AcmeProblem.Malformed("Key change: the inner JWS carries the new key in \"jwk\" and no nonce.");
        }

        if (request.Url != caller.Request.Url)
        {
            return AcmeProblem.Malformed("Key change: the inner JWS's \"url\" must be the keyChange URL, as the outer one's.");
        }

        if (!request.VerifyWith(request.Jwk))
        {
            return AcmeProblem.Malformed("Key change: the inner JWS is not signed by the new key it carries.");
        }

        var inside = request.ReadPayload();
        if (!inside.IsSuccess)
        {
            return inside.Problem!;
        }

        using var innerPayload = inside.Value;
        var root = innerPayload.RootElement;
        var accountUrl = root.TryGetProperty("account", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (accountUrl != caller.Request.KeyId)
        {
            return AcmeProblem.Malformed("Key change: \"account\" must be the URL of the account making the request.");
        }

        if (!root.TryGetProperty("oldKey", out var oldKeyElement) || AcmeJwk.Parse(oldKeyElement) is not { IsSuccess: true } oldKey
            || oldKey.Value.Thumbprint != caller.Account.Thumbprint)
        {
            return AcmeProblem.Unauthorized("Key change: \"oldKey\" is not the account's current key.");
        }

        var newKey = request.Jwk;
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var taken = await db.AcmeAccounts.AsNoTracking()
                .SingleOrDefaultAsync(x => x.DirectoryId == caller.Directory.Id && x.Thumbprint == newKey.Thumbprint, cancellationToken).ConfigureAwait(false);
            if (taken is not null)
            {
                return new AcmeResponse(409, AcmeProblems.ToJson(AcmeProblem.Malformed("Key change: the new key already belongs to an account.")))
                {
                    IsProblem = true,
                    Location = caller.Urls.Account(taken.Id),
                };
            }

            var account = await db.AcmeAccounts.SingleAsync(x => x.Id == caller.Account.Id, cancellationToken).ConfigureAwait(false);
            account.Thumbprint = newKey.Thumbprint;
            account.Jwk = newKey.CanonicalJson;
            AuditLog.Add(db, Now, Actor(account.Id), KeyChangeAction, $"authority {caller.Context.AuthorityId}", AuditOutcome.Succeeded, $"account {account.Id}");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return AcmeResponse.Ok(AccountJson(caller.Urls, account));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>An account's open orders end with it (RFC 8555 §7.3.6), whether the client or the operator deactivated it.</summary>
    internal static async Task DeactivatePendingAsync(PanelDbContext db, int accountId, CancellationToken cancellationToken)
    {
        var open = await db.AcmeOrders.Include(o => o.Authorizations)
            .Where(o => o.AccountId == accountId && (o.Status == AcmeStatus.Pending || o.Status == AcmeStatus.Ready))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var order in open)
        {
            order.Status = AcmeStatus.Invalid;
            order.Error = AcmeProblems.Serialize(AcmeProblem.Unauthorized("The account was deactivated."));
            foreach (var authorization in order.Authorizations.Where(z => z.Status == AcmeStatus.Pending || z.Status == AcmeStatus.Valid))
            {
                authorization.Status = AcmeStatus.Deactivated;
            }
        }
    }

    internal static string Actor(int accountId) => $"acme:account-{accountId}";

    private static AcmeOutcome<IReadOnlyList<string>> Contacts(JsonElement root)
    {
        if (!root.TryGetProperty("contact", out var contact) || contact.ValueKind == JsonValueKind.Null)
        {
            return AcmeOutcome<IReadOnlyList<string>>.From([]);
        }

        if (contact.ValueKind != JsonValueKind.Array)
        {
            return AcmeProblem.Malformed("\"contact\" must be an array of mailto: URLs.");
        }

        var list = new List<string>();
        foreach (var item in contact.EnumerateArray())
        {
            if (list.Count == MaxContacts)
            {
                return AcmeProblem.InvalidContact($"At most {MaxContacts} contacts per account.");
            }

            var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
            if (!text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            {
                return AcmeProblem.UnsupportedContact("Only mailto: contacts are accepted (for example mailto:admin@lab.internal).");
            }

            var address = text["mailto:".Length..];
            if (address.Length is 0 or > 254 || address.Contains(',', StringComparison.Ordinal) || address.Contains('?', StringComparison.Ordinal)
                || address.Any(char.IsControl) || !MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
            {
                return AcmeProblem.InvalidContact($"\"{Pki.Display.Literal(text)}\" is not one e-mail address as a mailto: URL.");
            }

            list.Add("mailto:" + address);
        }

        return AcmeOutcome<IReadOnlyList<string>>.From(list);
    }

    private static JsonObject AccountJson(AcmeUrls urls, AcmeAccountRecord account) => new()
    {
        ["status"] = account.Status,
        ["contact"] = new JsonArray(AcmePolicy.Lines(account.Contact).Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
        ["orders"] = urls.AccountOrders(account.Id),
        ["createdAt"] = Timestamp(account.CreatedAt),
    };
}
