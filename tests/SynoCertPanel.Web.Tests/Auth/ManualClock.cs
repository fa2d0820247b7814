namespace SynoCertPanel.Web.Tests.Auth;

/// <summary>
/// Real time plus a jump the test makes. It follows the real clock because Identity's lockout and TOTP
/// read the real clock, and the panel's messages compare with them.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + _offset;

    public void Advance(TimeSpan by) => _offset += by;
}
