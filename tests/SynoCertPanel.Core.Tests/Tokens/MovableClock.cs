namespace SynoCertPanel.Core.Tests.Tokens;

/// <summary>Real time plus the jumps a test makes, for expiry and "last used" without waiting.</summary>
internal sealed class MovableClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + _offset;

    public void Advance(TimeSpan by) => _offset += by;
}
