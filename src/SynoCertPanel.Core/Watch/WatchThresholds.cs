namespace SynoCertPanel.Core.Watch;

/// <summary>When a certificate counts as expiring: days before notAfter, each one a step the operator is told about.</summary>
public sealed record WatchThresholds
{
    // Kept in ascending order: the first threshold a span is within is the tightest one passed.
    private readonly IReadOnlyList<int> _expiringDays = [7, 14, 30];

    /// <summary>30/14/7 by default: a month to plan, two weeks to act, a last week.</summary>
    public IReadOnlyList<int> ExpiringDays
    {
        get => _expiringDays;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Any(d => d <= 0))
            {
                throw new ArgumentOutOfRangeException(nameof(value), "Every expiry threshold is a positive number of days.");
            }

            _expiringDays = [.. value.Distinct().Order()];
        }
    }

    public static WatchThresholds Default { get; } = new();

    /// <summary>The tightest threshold <paramref name="left"/> is within, or null when it is further than all of them.</summary>
    public int? Passed(TimeSpan left)
    {
        foreach (var days in _expiringDays)
        {
            if (left <= TimeSpan.FromDays(days))
            {
                return days;
            }
        }

        return null;
    }
}
