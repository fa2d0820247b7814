using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Acme;

public sealed partial class AcmeServer
{
    private async Task<AcmeResponse> NewOrderAsync(PanelDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var payload = caller.Request.ReadPayload();
        if (!payload.IsSuccess)
        {
            return payload.Problem!;
        }

        using var document = payload.Value;
        var root = document.RootElement;
        if (root.TryGetProperty("notBefore", out _) || root.TryGetProperty("notAfter", out _))
        {
            return AcmeProblem.Malformed("This directory sets the lifetime by its policy; send the order without \"notBefore\" and \"notAfter\".");
        }

        var authority = await AcmeDirectoryService.AuthorityAsync(db, caller.Context.AuthorityId, cancellationToken).ConfigureAwait(false);
        if (!authority.IsSuccess || !authority.Value.UsableAt(Now))
        {
            return AcmeProblem.ServerInternal("The CA behind this directory is not usable now (expired, not yet valid, or its key is gone). Tell the panel's operator.");
        }

        var policy = AcmePolicy.From(caller.Directory, authority.Value.Constraints);
        var identifiers = Identifiers(root, policy, authority.Value);
        if (!identifiers.IsSuccess)
        {
            return identifiers.Problem!;
        }

        var limited = await limits.CheckNewOrderAsync(db, caller.Directory.Id, caller.Account.Id, caller.Context.ClientAddress, cancellationToken)
            .ConfigureAwait(false);
        if (limited is not null)
        {
            return limited;
        }

        var now = Now;
        string? replaces = null;
        if (root.TryGetProperty("replaces", out var replacesElement))
        {
            var replaced = await ReplacedAsync(db, caller, replacesElement.ValueKind == JsonValueKind.String ? replacesElement.GetString()! : "",
                identifiers.Value, now, cancellationToken).ConfigureAwait(false);
            if (!replaced.IsSuccess)
            {
                return replaced.Problem!;
            }

            replaces = replaced.Value;
        }

        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var order = new AcmeOrderRecord
            {
                AccountId = caller.Account.Id,
                DirectoryId = caller.Directory.Id,
                Status = AcmeStatus.Pending,
                Identifiers = string.Join('\n', identifiers.Value.Select(Text)),
                CreatedAt = now,
                ExpiresAt = now + OrderLifetime,
                Replaces = replaces,
            };
            foreach (var identifier in identifiers.Value)
            {
                var authorization = new AcmeAuthorizationRecord
                {
                    Type = identifier.Kind == SanKind.IpAddress ? "ip" : "dns",
                    Value = identifier.IsWildcard ? identifier.Value[2..] : identifier.Value,
                    Wildcard = identifier.IsWildcard,
                    Status = AcmeStatus.Pending,
                    ExpiresAt = order.ExpiresAt,
                };
                foreach (var type in policy.ChallengesFor(identifier))
                {
                    authorization.Challenges.Add(new AcmeChallengeRecord
                    {
                        Type = type,
                        Token = AcmeBase64.Encode(RandomNumberGenerator.GetBytes(32)),
                        Status = AcmeStatus.Pending,
                    });
                }

                order.Authorizations.Add(authorization);
            }

            db.AcmeOrders.Add(order);
            var account = await db.AcmeAccounts.SingleAsync(a => a.Id == caller.Account.Id, cancellationToken).ConfigureAwait(false);
            account.LastOrderAt = now;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            limits.OrderPlaced(caller.Directory.Id, caller.Context.ClientAddress);
            return AcmeResponse.Created(OrderJson(caller.Urls, order, now), caller.Urls.Order(order.Id));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    private async Task<AcmeResponse> OrderAsync(PanelDbContext db, Caller caller, int? id, CancellationToken cancellationToken)
    {
        if (!caller.Request.IsPostAsGet)
        {
            return AcmeProblem.Malformed("An order is read with POST-as-GET (an empty payload).");
        }

        var order = await OwnOrderAsync(db, caller, id, cancellationToken).ConfigureAwait(false);
        if (!order.IsSuccess)
        {
            return order.Problem!;
        }

        var response = AcmeResponse.Ok(OrderJson(caller.Urls, order.Value, Now));
        return order.Value.Status == AcmeStatus.Processing ? response with { RetryAfterSeconds = 1 } : response;
    }

    private async Task<AcmeResponse> AuthorizationAsync(PanelDbContext db, Caller caller, int? id, CancellationToken cancellationToken)
    {
        var accountId = caller.Account.Id;
        var authorization = await db.AcmeAuthorizations.AsNoTracking().Include(a => a.Challenges)
            .SingleOrDefaultAsync(a => a.Id == id && db.AcmeOrders.Any(o => o.Id == a.OrderId && o.AccountId == accountId), cancellationToken)
            .ConfigureAwait(false);
        if (authorization is null)
        {
            return new AcmeProblem("about:blank", "There is no such authorization for this account.", 404);
        }

        if (!caller.Request.IsPostAsGet)
        {
            var payload = caller.Request.ReadPayload();
            if (!payload.IsSuccess)
            {
                return payload.Problem!;
            }

            using var document = payload.Value;
            if (!document.RootElement.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String
                || status.GetString() != AcmeStatus.Deactivated)
            {
                return AcmeProblem.Malformed("An authorization can only be changed to {\"status\": \"deactivated\"}.");
            }

            await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var record = await db.AcmeAuthorizations.SingleAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false);
                if (record.Status is AcmeStatus.Pending or AcmeStatus.Valid)
                {
                    record.Status = AcmeStatus.Deactivated;
                    await AcmeOrders.RecomputeAsync(db, record.OrderId, Now, cancellationToken).ConfigureAwait(false);
                    await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                }

                record.Challenges = await db.AcmeChallenges.AsNoTracking().Where(c => c.AuthorizationId == record.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
                authorization = record;
            }
            finally
            {
                storage.WriteGate.Release();
            }
        }

        return AcmeResponse.Ok(AuthorizationJson(caller.Urls, authorization, Now));
    }

    private async Task<AcmeResponse> ChallengeAsync(PanelDbContext db, Caller caller, int? id, CancellationToken cancellationToken)
    {
        var accountId = caller.Account.Id;
        var found = await db.AcmeChallenges.AsNoTracking()
            .Join(db.AcmeAuthorizations, c => c.AuthorizationId, a => a.Id, (c, a) => new { Challenge = c, Authorization = a })
            .Where(x => x.Challenge.Id == id && db.AcmeOrders.Any(o => o.Id == x.Authorization.OrderId && o.AccountId == accountId))
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return new AcmeProblem("about:blank", "There is no such challenge for this account.", 404);
        }

        var up = AcmeResponse.Link(caller.Urls.Authorization(found.Authorization.Id), "up");
        if (caller.Request.IsPostAsGet)
        {
            return AcmeResponse.Ok(ChallengeJson(caller.Urls, found.Challenge)) with { Links = [up] };
        }

        // RFC 8555 §7.5.1: the client says it is ready with an empty JSON object; other members are ignored.
        var payload = caller.Request.ReadPayload();
        if (!payload.IsSuccess)
        {
            return payload.Problem!;
        }

        payload.Value.Dispose();
        var now = Now;
        if (found.Authorization.Status != AcmeStatus.Pending || found.Authorization.ExpiresAt <= now)
        {
            // Answering again for a challenge already tried is not an error: the client learns its state.
            return AcmeResponse.Ok(ChallengeJson(caller.Urls, found.Challenge)) with { Links = [up] };
        }

        if (found.Challenge.Status == AcmeStatus.Pending)
        {
            var limited = await limits.CheckFailedValidationsAsync(db, caller.Account.Id, cancellationToken).ConfigureAwait(false);
            if (limited is not null)
            {
                return limited;
            }

            var started = await validations.StartAsync(found.Challenge.Id, caller.Account.Thumbprint, cancellationToken).ConfigureAwait(false);
            if (started is not null)
            {
                // The outcome in this answer when validation is quick (a box on the same network), as the client would
                // otherwise only learn it at its next poll, a second or more later.
                await validations.WaitBrieflyAsync(started.Id, cancellationToken).ConfigureAwait(false);
                started = await db.AcmeChallenges.AsNoTracking().SingleAsync(c => c.Id == started.Id, cancellationToken).ConfigureAwait(false);
            }

            var current = started ?? found.Challenge;
            var answer = AcmeResponse.Ok(ChallengeJson(caller.Urls, current)) with { Links = [up] };
            return current.Status == AcmeStatus.Processing ? answer with { RetryAfterSeconds = 1 } : answer;
        }

        return AcmeResponse.Ok(ChallengeJson(caller.Urls, found.Challenge)) with { Links = [up] };
    }

    private static async Task<AcmeOutcome<AcmeOrderRecord>> OwnOrderAsync(PanelDbContext db, Caller caller, int? id, CancellationToken cancellationToken)
    {
        var order = await db.AcmeOrders.AsNoTracking().Include(o => o.Authorizations)
            .SingleOrDefaultAsync(o => o.Id == id && o.AccountId == caller.Account.Id, cancellationToken).ConfigureAwait(false);
        return order is null ? new AcmeProblem("about:blank", "There is no such order for this account.", 404) : order;
    }

    private static AcmeOutcome<IReadOnlyList<SubjectAlternativeName>> Identifiers(JsonElement root, AcmePolicy policy, AcmeDirectoryService.AuthorityFacts authority)
    {
        if (!root.TryGetProperty("identifiers", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            return AcmeProblem.Malformed("An order needs \"identifiers\": a non-empty array of {\"type\": \"dns\" or \"ip\", \"value\": …}.");
        }

        if (list.GetArrayLength() > AcmePolicy.MaxIdentifiers)
        {
            return AcmeProblem.RejectedIdentifier($"The order has {list.GetArrayLength()} identifiers; at most {AcmePolicy.MaxIdentifiers} go in one certificate.");
        }

        var parsed = new List<SubjectAlternativeName>();
        var problems = new List<AcmeSubproblem>();
        foreach (var item in list.EnumerateArray())
        {
            var type = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
            var value = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var identifier = new AcmeIdentifier(Pki.Display.Literal(type, 10), Pki.Display.Literal(value, 260));
            if (type is not ("dns" or "ip"))
            {
                problems.Add(new AcmeSubproblem(AcmeProblem.UnsupportedIdentifier("").Type,
                    $"Identifier type \"{identifier.Type}\" is not supported; use \"dns\" or \"ip\".", identifier));
                continue;
            }

            var name = type == "dns" ? SanParser.ParseDnsName(value) : SanParser.ParseIpAddress(value);
            if (!name.IsSuccess || (type == "dns" && name.Value.Kind != SanKind.Dns))
            {
                problems.Add(new AcmeSubproblem(AcmeProblem.RejectedIdentifier("").Type, name.Error ?? $"\"{identifier.Value}\" is not a DNS name.", identifier));
                continue;
            }

            // RFC 8738 §3: an ip identifier is the address in its textual form; the parser's canonical form is compared.
            var refusal = policy.Refusal(name.Value)
                ?? (authority.Constraints is { IsEmpty: false } constraints && !constraints.Permits(name.Value)
                    ? $"\"{name.Value.Value}\" is outside the CA's own name constraints, so a certificate for it would not be trusted."
                    : null);
            if (refusal is not null)
            {
                problems.Add(new AcmeSubproblem(AcmeProblem.RejectedIdentifier("").Type, refusal, identifier));
                continue;
            }

            if (!parsed.Contains(name.Value))
            {
                parsed.Add(name.Value);
            }
        }

        if (problems.Count > 0)
        {
            var first = problems[0];
            var type = problems.All(p => p.Type == first.Type) ? first.Type : AcmeProblem.RejectedIdentifier("").Type;
            var detail = problems.Count == 1 ? first.Detail : $"{problems.Count} identifiers cannot be ordered here; see subproblems. First: {first.Detail}";
            return new AcmeProblem(type, detail, 400) { Subproblems = problems };
        }

        return AcmeOutcome<IReadOnlyList<SubjectAlternativeName>>.From(parsed);
    }

    internal static string Text(SubjectAlternativeName name) => (name.Kind == SanKind.IpAddress ? "ip:" : "dns:") + name.Value;

    private static JsonObject OrderJson(AcmeUrls urls, AcmeOrderRecord order, DateTimeOffset now)
    {
        var json = new JsonObject
        {
            ["status"] = AcmeOrders.StatusAt(order, now),
            ["expires"] = Timestamp(order.ExpiresAt),
            ["identifiers"] = new JsonArray(AcmePolicy.Lines(order.Identifiers).Select(line =>
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                return (JsonNode)new JsonObject { ["type"] = line[..colon], ["value"] = line[(colon + 1)..] };
            }).ToArray()),
            ["authorizations"] = new JsonArray(order.Authorizations.OrderBy(a => a.Id).Select(a => (JsonNode)JsonValue.Create(urls.Authorization(a.Id))).ToArray()),
            ["finalize"] = urls.Finalize(order.Id),
        };
        if (order.CertificateId is { } certificate && order.Status == AcmeStatus.Valid)
        {
            json["certificate"] = urls.Certificate(certificate);
        }

        if (AcmeOrders.ErrorAt(order, now) is { } error)
        {
            json["error"] = AcmeProblems.Parse(error);
        }

        if (order.Replaces is not null)
        {
            json["replaces"] = order.Replaces;
        }

        return json;
    }

    private static JsonObject AuthorizationJson(AcmeUrls urls, AcmeAuthorizationRecord authorization, DateTimeOffset now)
    {
        var status = authorization.Status == AcmeStatus.Pending && authorization.ExpiresAt <= now ? AcmeStatus.Expired : authorization.Status;
        var json = new JsonObject
        {
            ["status"] = status,
            ["expires"] = Timestamp(authorization.ExpiresAt),
            ["identifier"] = new JsonObject { ["type"] = authorization.Type, ["value"] = authorization.Value },
            ["challenges"] = new JsonArray(authorization.Challenges.OrderBy(c => c.Id)
                .Where(c => authorization.Status != AcmeStatus.Valid || c.Status == AcmeStatus.Valid)
                .Select(c => (JsonNode)ChallengeJson(urls, c)).ToArray()),
        };
        if (authorization.Wildcard)
        {
            json["wildcard"] = true;
        }

        return json;
    }

    private static JsonObject ChallengeJson(AcmeUrls urls, AcmeChallengeRecord challenge)
    {
        var json = new JsonObject
        {
            ["type"] = challenge.Type,
            ["url"] = urls.Challenge(challenge.Id),
            ["status"] = challenge.Status,
            ["token"] = challenge.Token,
        };
        if (challenge.ValidatedAt is { } at)
        {
            json["validated"] = Timestamp(at);
        }

        if (challenge.Error is not null)
        {
            json["error"] = AcmeProblems.Parse(challenge.Error);
        }

        return json;
    }
}
