using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// How much one client may ask of a directory in an hour. The defaults are far above what a home lab's boxes do (a box
/// renews a few certificates a month) and far below what would fill the disk or keep the CA busy if a client loops.
/// </summary>
/// <param name="AccountsPerAddress">New accounts per client address.</param>
/// <param name="OrdersPerAccount">New orders per account.</param>
/// <param name="OrdersPerAddress">New orders per client address, whatever the account.</param>
/// <param name="FailedValidationsPerAccount">Failed authorizations per account (on its orders placed in the last hour).</param>
public sealed record AcmeLimits(int AccountsPerAddress, int OrdersPerAccount, int OrdersPerAddress, int FailedValidationsPerAccount)
{
    public static readonly AcmeLimits HomeLab = new(50, 300, 300, 60);
}

/// <summary>
/// Applies <see cref="AcmeLimits"/> over a sliding hour. Accounts, orders per account and failed validations are counted
/// from the stored rows, so the counts survive a restart; orders per address are counted in memory (an order does not
/// keep its client's address), in a window bounded in keys and in entries per key, and start again at zero after a
/// restart. A refusal is RFC 8555's rateLimited with Retry-After set to when the oldest counted request leaves the hour.
/// </summary>
public sealed class AcmeRateLimits(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>Client addresses remembered at most; beyond that the quietest are forgotten first.</summary>
    public const int MaxAddresses = 10_000;

    private readonly ConcurrentDictionary<(int Directory, string Address), Queue<DateTimeOffset>> _ordersByAddress = new();

    /// <summary>The limits in force; replaced as a whole (tests lower them).</summary>
    public AcmeLimits Limits { get; set; } = AcmeLimits.HomeLab;

    public async Task<AcmeProblem?> CheckNewAccountAsync(PanelDbContext db, int directoryId, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var since = time.GetUtcNow() - Window;
        var recent = db.AcmeAccounts.AsNoTracking().Where(a => a.DirectoryId == directoryId && a.CreatedFrom == address && a.CreatedAt > since);
        return await RefuseAsync(recent.Select(a => a.CreatedAt), Limits.AccountsPerAddress,
            $"new accounts from {address} in an hour", cancellationToken).ConfigureAwait(false);
    }

    public async Task<AcmeProblem?> CheckNewOrderAsync(PanelDbContext db, int directoryId, int accountId, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var limits = Limits;
        var since = time.GetUtcNow() - Window;
        var recent = db.AcmeOrders.AsNoTracking().Where(o => o.AccountId == accountId && o.CreatedAt > since);
        var problem = await RefuseAsync(recent.Select(o => o.CreatedAt), limits.OrdersPerAccount, "new orders per account in an hour", cancellationToken)
            .ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        problem = await CheckFailedValidationsAsync(db, accountId, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (_ordersByAddress.TryGetValue((directoryId, address), out var queue))
        {
            lock (queue)
            {
                Prune(queue, since);
                if (queue.Count >= limits.OrdersPerAddress)
                {
                    return Refusal(limits.OrdersPerAddress, $"new orders from {address} in an hour", queue.Peek());
                }
            }
        }

        return null;
    }

    /// <summary>Counts an order placed from <paramref name="address"/> (the stored row counts it for its account).</summary>
    public void OrderPlaced(int directoryId, string address)
    {
        var now = time.GetUtcNow();
        if (_ordersByAddress.Count >= MaxAddresses && !_ordersByAddress.ContainsKey((directoryId, address)))
        {
            Forget(now - Window);
        }

        var queue = _ordersByAddress.GetOrAdd((directoryId, address), _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            Prune(queue, now - Window);
            // Never more entries than the limit needs: the oldest beyond it cannot change a decision.
            if (queue.Count >= Math.Max(1, Limits.OrdersPerAddress))
            {
                queue.Dequeue();
            }

            queue.Enqueue(now);
        }
    }

    public async Task<AcmeProblem?> CheckFailedValidationsAsync(PanelDbContext db, int accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var since = time.GetUtcNow() - Window;
        var failed = db.AcmeAuthorizations.AsNoTracking().Where(a => a.Status == AcmeStatus.Invalid)
            .Join(db.AcmeOrders.Where(o => o.AccountId == accountId && o.CreatedAt > since), a => a.OrderId, o => o.Id, (a, o) => o.CreatedAt);
        return await RefuseAsync(failed, Limits.FailedValidationsPerAccount, "failed validations per account in an hour", cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<AcmeProblem?> RefuseAsync(IQueryable<DateTimeOffset> recent, int limit, string what, CancellationToken cancellationToken)
    {
        var count = await recent.CountAsync(cancellationToken).ConfigureAwait(false);
        if (count < limit)
        {
            return null;
        }

        var oldest = count == 0 ? time.GetUtcNow() : await recent.MinAsync(cancellationToken).ConfigureAwait(false);
        return Refusal(limit, what, oldest);
    }

    private AcmeProblem Refusal(int limit, string what, DateTimeOffset oldest)
    {
        var wait = Math.Max(1, (int)Math.Ceiling((oldest + Window - time.GetUtcNow()).TotalSeconds));
        var problem = AcmeProblem.RateLimited($"Too many requests: this directory allows {limit} {what}. Retry after {wait} seconds, or ask the panel's operator.");
        return problem with { RetryAfterSeconds = wait };
    }

    private static void Prune(Queue<DateTimeOffset> queue, DateTimeOffset since)
    {
        while (queue.Count > 0 && queue.Peek() <= since)
        {
            queue.Dequeue();
        }
    }

    private void Forget(DateTimeOffset since)
    {
        foreach (var (key, queue) in _ordersByAddress)
        {
            bool empty;
            lock (queue)
            {
                Prune(queue, since);
                empty = queue.Count == 0;
            }

            if (empty)
            {
                _ordersByAddress.TryRemove(key, out _);
            }
        }

        // Still full of live addresses: drop the quietest so memory stays bounded whatever the clients do.
        foreach (var key in _ordersByAddress.OrderBy(p => p.Value.Count).Take(Math.Max(0, _ordersByAddress.Count - (MaxAddresses - 1))).Select(p => p.Key).ToList())
        {
            _ordersByAddress.TryRemove(key, out _);
        }
    }
}
