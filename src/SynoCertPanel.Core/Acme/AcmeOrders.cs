using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Acme;

/// <summary>An order's status follows its authorizations (RFC 8555 §7.1.6): one place decides it.</summary>
internal static class AcmeOrders
{
    /// <summary>
    /// The order's status as a client must read it at <paramref name="now"/>: a pending or ready order past its expiry is
    /// invalid (RFC 8555 §7.1.6) whether or not anything has written that down yet.
    /// </summary>
    public static string StatusAt(AcmeOrderRecord order, DateTimeOffset now) =>
        order.Status is AcmeStatus.Pending or AcmeStatus.Ready && order.ExpiresAt <= now ? AcmeStatus.Invalid : order.Status;

    /// <summary>Why the order failed, as stored, or the expiry when it failed by running out of time.</summary>
    public static string? ErrorAt(AcmeOrderRecord order, DateTimeOffset now) =>
        order.Error ?? (StatusAt(order, now) != order.Status ? AcmeProblems.Serialize(Expired) : null);

    private static readonly AcmeProblem Expired = AcmeProblem.Malformed("The order expired before it was finalized. Place a new order.");

    /// <summary>
    /// Sets a pending or ready order's status from its authorizations, as they stand in <paramref name="db"/> (changes
    /// not saved yet included); keeps the first failure as the order's error. The caller saves.
    /// </summary>
    public static async Task RecomputeAsync(PanelDbContext db, int orderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var order = await db.AcmeOrders.Include(o => o.Authorizations).ThenInclude(a => a.Challenges)
            .SingleAsync(o => o.Id == orderId, cancellationToken).ConfigureAwait(false);
        if (order.Status is not (AcmeStatus.Pending or AcmeStatus.Ready))
        {
            return;
        }

        if (order.ExpiresAt <= now)
        {
            order.Status = AcmeStatus.Invalid;
            order.Error = AcmeProblems.Serialize(Expired);
            return;
        }

        var failed = order.Authorizations.FirstOrDefault(a => a.Status is AcmeStatus.Invalid or AcmeStatus.Deactivated or AcmeStatus.Revoked or AcmeStatus.Expired);
        if (failed is not null)
        {
            order.Status = AcmeStatus.Invalid;
            var reason = failed.Challenges.Where(c => c.Error is not null).Select(c => AcmeProblems.DetailOf(c.Error)).FirstOrDefault();
            var identifier = (failed.Wildcard ? "*." : "") + failed.Value;
            order.Error = AcmeProblems.Serialize(failed.Status == AcmeStatus.Invalid
                ? AcmeProblem.Unauthorized($"Validation of {identifier} failed: {reason ?? "no challenge succeeded"}") with
                {
                    Subproblems = failed.Challenges.Where(c => c.Error is not null).Select(c => new AcmeSubproblem(
                        ProblemType(c.Error!), AcmeProblems.DetailOf(c.Error) ?? "", new AcmeIdentifier(failed.Type, failed.Value))).Take(1).ToList(),
                }
                : AcmeProblem.Unauthorized($"The authorization for {identifier} was {failed.Status}."));
            return;
        }

        order.Status = order.Authorizations.All(a => a.Status == AcmeStatus.Valid) ? AcmeStatus.Ready : AcmeStatus.Pending;
    }

    private static string ProblemType(string stored) =>
        AcmeProblems.Parse(stored)?["type"]?.GetValue<string>() ?? "urn:ietf:params:acme:error:unauthorized";
}
