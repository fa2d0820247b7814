using SynoCertPanel.Core.Watch;

namespace SynoCertPanel.Core.Tests.Watch;

public class EndpointStateChangeTests
{
    private static readonly ProbeTarget Target = ProbeTarget.For("nas.home.arpa", 5001);

    private static EndpointVerdict Verdict(EndpointState state, int? days = null)
    {
        if (state == EndpointState.Unreachable)
        {
            return EndpointVerdict.Judge(ProbeResult.Failed(Target, WatchPki.Now, TimeSpan.Zero, new ProbeFailure(ProbeFailureKind.Refused, "refused")),
                new EndpointExpectation(), TimeProvider.System);
        }

        var served = state switch
        {
            EndpointState.Ok => WatchPki.Shared.Leaf(),
            EndpointState.Expiring => WatchPki.Shared.Leaf(issuedDaysAgo: 30 - (days!.Value - 1), validityDays: 30),
            _ => WatchPki.Shared.Leaf(issuedDaysAgo: 100, validityDays: 30),
        };
        var verdict = EndpointVerdict.Judge(EndpointVerdictTests.Served(served) with { Target = Target },
            new EndpointExpectation { HomeRoots = [WatchPki.Shared.Root.Certificate], TrustSystemRoots = false }, TimeProvider.System);
        Assert.Equal(state, verdict.State);
        return verdict;
    }

    [Fact]
    public void Detect_FirstProbeOk_SaysNothing()
    {
        Assert.Null(EndpointStateChange.Detect(null, Verdict(EndpointState.Ok)));
    }

    [Fact]
    public void Detect_FirstProbeWithAProblem_Speaks()
    {
        var change = EndpointStateChange.Detect(null, Verdict(EndpointState.Unreachable));

        Assert.NotNull(change);
        Assert.True(change.IsWorse);
        Assert.StartsWith("nas.home.arpa:5001: unreachable.", change.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_SameStateAgain_SaysNothing()
    {
        Assert.Null(EndpointStateChange.Detect(new EndpointCondition(EndpointState.Unreachable), Verdict(EndpointState.Unreachable)));
        Assert.Null(EndpointStateChange.Detect(new EndpointCondition(EndpointState.Expiring, 30), Verdict(EndpointState.Expiring, 20)));
    }

    [Fact]
    public void Detect_PassingTheNextThreshold_Speaks()
    {
        var change = EndpointStateChange.Detect(new EndpointCondition(EndpointState.Expiring, 14), Verdict(EndpointState.Expiring, 5));

        Assert.NotNull(change);
        Assert.True(change.IsWorse);
        Assert.Contains("expiring within 7 days (was expiring within 14 days)", change.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_BackToOk_IsARecovery()
    {
        var change = EndpointStateChange.Detect(new EndpointCondition(EndpointState.Expired), Verdict(EndpointState.Ok));

        Assert.NotNull(change);
        Assert.True(change.IsRecovery);
        Assert.False(change.IsWorse);
    }

    [Fact]
    public void Tracker_RepeatedProbes_OneMessagePerChange()
    {
        var tracker = new EndpointStateTracker();
        var sequence = new[]
        {
            Verdict(EndpointState.Ok), Verdict(EndpointState.Ok), Verdict(EndpointState.Unreachable), Verdict(EndpointState.Unreachable),
            Verdict(EndpointState.Unreachable), Verdict(EndpointState.Ok), Verdict(EndpointState.Ok),
        };

        var messages = sequence.Select(tracker.Observe).Where(c => c is not null).Select(c => c!.Current.State).ToList();

        Assert.Equal([EndpointState.Unreachable, EndpointState.Ok], messages);
    }
}
