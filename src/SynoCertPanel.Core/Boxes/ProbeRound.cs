namespace SynoCertPanel.Core.Boxes;

/// <summary>
/// One round of probes as <see cref="BoxWatch"/> ran it: every enabled box (the schedule's round) or one box asked for now,
/// how many endpoints, and how long probing, judging and storing took (alerts sent afterwards are not counted).
/// </summary>
public sealed record ProbeRound(bool AllBoxes, int Endpoints, TimeSpan Duration, DateTimeOffset FinishedAt);

/// <summary>Told of each finished round, for /metrics; the watch works the same without one (the command line has none).</summary>
public interface IProbeRoundObserver
{
    void RoundFinished(ProbeRound round);
}
