using System.Security.Cryptography;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// Replay nonces (RFC 8555 §6.5): random, single-use, expiring, and bounded in number, so a client that fetches nonces in a
/// loop cannot grow the panel's memory. Kept in memory: after a restart every old nonce is answered with
/// <c>badNonce</c> and a fresh one, which clients retry with (§6.5).
/// </summary>
public sealed class AcmeNonces(TimeProvider time)
{
    /// <summary>Long enough for a client polling a slow validation; short enough that a captured nonce soon dies.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>Outstanding nonces kept at most; beyond it the oldest is forgotten (and answered with badNonce).</summary>
    public const int Capacity = 50_000;

    private readonly Dictionary<string, DateTimeOffset> _live = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    public int Outstanding
    {
        get
        {
            lock (_lock)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>A fresh nonce for a <c>Replay-Nonce</c> header.</summary>
    public string Issue()
    {
        var nonce = AcmeBase64.Encode(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow();
        lock (_lock)
        {
            while (_order.Count >= Capacity || (_order.TryPeek(out var oldest) && IsExpired(oldest, now)))
            {
                _live.Remove(_order.Dequeue());
            }

            _live[nonce] = now + Lifetime;
            _order.Enqueue(nonce);
        }

        return nonce;
    }

    /// <summary>Uses up <paramref name="nonce"/>: true once for a nonce issued here and not yet expired.</summary>
    public bool TryConsume(string? nonce)
    {
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 64)
        {
            return false;
        }

        lock (_lock)
        {
            // The queue entry stays and is skipped when it reaches the front: removing it here would cost a scan.
            return _live.Remove(nonce, out var expires) && expires > time.GetUtcNow();
        }
    }

    private bool IsExpired(string nonce, DateTimeOffset now) => !_live.TryGetValue(nonce, out var expires) || expires <= now;
}
