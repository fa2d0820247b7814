namespace SynoCertPanel.Pki.Tests.Support;

/// <summary>A clock that stays where the test puts it, so validity windows are exact.</summary>
public sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
