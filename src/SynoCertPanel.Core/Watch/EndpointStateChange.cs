namespace SynoCertPanel.Core.Watch;

/// <summary>
/// The part of a verdict an alert is about: the worst state and, for an expiring certificate, the threshold
/// passed. Crossing from 14 to 7 days is a change worth a message; the days ticking down inside one is not.
/// </summary>
public readonly record struct EndpointCondition(EndpointState State, int? ThresholdDays = null)
{
    public static EndpointCondition Of(EndpointVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new(verdict.State, verdict.State == EndpointState.Expiring ? verdict.ThresholdDays : null);
    }

    public override string ToString() => ThresholdDays is { } days ? $"{State} ({days} days)" : State.ToString();
}

/// <summary>An endpoint moved from one condition to another: one alert message.</summary>
public sealed record EndpointStateChange(EndpointCondition? Previous, EndpointCondition Current, EndpointVerdict Verdict)
{
    /// <summary>Back to OK after a problem.</summary>
    public bool IsRecovery => Current.State == EndpointState.Ok;

    /// <summary>Worse than before (or a first probe that found a problem).</summary>
    public bool IsWorse => Previous is not { } previous || Verdict.Severity > Severity(previous);

    public string Message => Previous is { } previous
        ? $"{Verdict.Target}: {Describe(Current)} (was {Describe(previous)}). {Verdict.Message}"
        : $"{Verdict.Target}: {Describe(Current)}. {Verdict.Message}";

    /// <summary>
    /// One message per change of condition, not per probe. A first probe speaks only when something is wrong:
    /// an endpoint that starts healthy needs no message.
    /// </summary>
    public static EndpointStateChange? Detect(EndpointCondition? previous, EndpointVerdict current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var now = EndpointCondition.Of(current);
        if (previous is null)
        {
            return now.State == EndpointState.Ok ? null : new(null, now, current);
        }

        return previous.Value == now ? null : new(previous, now, current);
    }

    private static int Severity(EndpointCondition condition) =>
        new EndpointFinding(condition.State, string.Empty, condition.ThresholdDays).Severity;

    private static string Describe(EndpointCondition condition) => condition.State switch
    {
        EndpointState.Ok => "OK",
        EndpointState.Expiring => $"expiring within {condition.ThresholdDays} days",
        EndpointState.NotLatest => "not serving the latest certificate",
        EndpointState.Weak => "weak",
        EndpointState.NameNotCovered => "name not covered",
        EndpointState.Untrusted => "untrusted",
        EndpointState.Expired => "expired",
        _ => "unreachable",
    };
}
