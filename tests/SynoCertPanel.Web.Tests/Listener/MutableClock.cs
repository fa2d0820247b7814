namespace SynoCertPanel.Web.Tests.Listener;

/// <summary>Real time plus an offset the test can move forward; timers stay real so the listener's poll keeps running.</summary>
public sealed class MutableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
