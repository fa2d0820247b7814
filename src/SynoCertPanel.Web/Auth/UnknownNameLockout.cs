namespace SynoCertPanel.Web.Auth;

/// <summary>
/// Locks out user names that do not exist exactly as Identity locks out real ones, so the "locked" message
/// cannot be used to find out which names exist. Memory only and bounded: a restart forgets it, as it may.
/// </summary>
internal sealed class UnknownNameLockout(TimeProvider time, int maxFailures, TimeSpan lockoutTime)
{
    private const int MaxNames = 1000;

    private readonly Dictionary<string, (int Failures, DateTimeOffset? LockedUntil)> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>When the name is locked, until when.</summary>
    public DateTimeOffset? LockedUntil(string name)
    {
        lock (_lock)
        {
            return _names.TryGetValue(name, out var entry) && entry.LockedUntil > time.GetUtcNow() ? entry.LockedUntil : null;
        }
    }

    public void RecordFailure(string name)
    {
        lock (_lock)
        {
            if (_names.Count >= MaxNames && !_names.ContainsKey(name))
            {
                _names.Clear();
            }

            _names.TryGetValue(name, out var entry);
            var failures = entry.LockedUntil is { } until && until <= time.GetUtcNow() ? 1 : entry.Failures + 1;
            _names[name] = failures >= maxFailures ? (0, time.GetUtcNow() + lockoutTime) : (failures, null);
        }
    }
}
