namespace SynoCertPanel.Core.Watch;

/// <summary>
/// One problem (or the all-clear) found on an endpoint, with one sentence for the operator.
/// <see cref="ThresholdDays"/> is set for <see cref="EndpointState.Expiring"/>: the tightest threshold passed.
/// </summary>
public sealed record EndpointFinding(EndpointState State, string Message, int? ThresholdDays = null)
{
    /// <summary>Higher is worse; an expiring certificate within 7 days ranks above one within 30.</summary>
    public int Severity => ((int)State * 1000) + (ThresholdDays is { } days ? 999 - Math.Clamp(days, 0, 999) : 0);
}
