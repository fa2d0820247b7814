namespace SynoCertPanel.Core.Tests.Watch;

/// <summary>A clock stopped at one instant: issuing in the past, judging "now" exactly.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
