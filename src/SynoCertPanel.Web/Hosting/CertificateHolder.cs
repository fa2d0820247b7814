namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// The certificate the HTTPS listener serves, swapped atomically (certificate, chain and key together): every
/// handshake reads <see cref="Current"/> once, so it sees either the old or the new one, never a mix.
/// A replaced certificate is disposed only after a grace period, because handshakes may still be using it.
/// </summary>
public sealed class CertificateHolder(TimeProvider time) : IDisposable
{
    /// <summary>Far longer than any handshake (Kestrel's handshake timeout is 10 s).</summary>
    public static readonly TimeSpan RetiredGracePeriod = TimeSpan.FromMinutes(2);

    private readonly Lock _retiredLock = new();
    private readonly List<(DateTimeOffset RetiredAt, ListenerCertificate Certificate)> _retired = [];
    private ListenerCertificate? _current;

    public ListenerCertificate Current =>
        Volatile.Read(ref _current) ?? throw new InvalidOperationException("The listener has no certificate yet; the host loads one before it starts.");

    public bool HasCertificate => Volatile.Read(ref _current) is not null;

    /// <summary>Publishes <paramref name="next"/> for new handshakes and returns the one it replaced.</summary>
    public ListenerCertificate? Swap(ListenerCertificate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var previous = Interlocked.Exchange(ref _current, next);
        var now = time.GetUtcNow();
        List<ListenerCertificate> expired;
        lock (_retiredLock)
        {
            // A certificate put back (a failed apply restores the previous one) is live again, not retired.
            _retired.RemoveAll(r => ReferenceEquals(r.Certificate, next));
            if (previous is not null && !ReferenceEquals(previous, next))
            {
                _retired.Add((now, previous));
            }

            expired = _retired.Where(r => now - r.RetiredAt > RetiredGracePeriod).Select(r => r.Certificate).ToList();
            _retired.RemoveAll(r => expired.Contains(r.Certificate));
        }

        foreach (var certificate in expired)
        {
            certificate.Dispose();
        }

        return previous;
    }

    public void Dispose()
    {
        lock (_retiredLock)
        {
            foreach (var (_, certificate) in _retired)
            {
                certificate.Dispose();
            }

            _retired.Clear();
        }

        Interlocked.Exchange(ref _current, null)?.Dispose();
    }
}
