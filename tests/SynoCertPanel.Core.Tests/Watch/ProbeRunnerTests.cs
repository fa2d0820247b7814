using System.Collections.Concurrent;
using System.Diagnostics;
using SynoCertPanel.Core.Watch;

namespace SynoCertPanel.Core.Tests.Watch;

public class ProbeRunnerTests
{
    /// <summary>A probe that takes a set time per host and counts how many run at once.</summary>
    private sealed class PacedProbe(Func<ProbeTarget, TimeSpan> delay) : IEndpointProbe
    {
        private int _running;

        public int MaxRunning;

        public ConcurrentBag<string> Started { get; } = [];

        public async Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken = default)
        {
            Started.Add(target.Host);
            var running = Interlocked.Increment(ref _running);
            InterlockedMax(ref MaxRunning, running);
            try
            {
                await Task.Delay(delay(target), cancellationToken);
                return ProbeResult.Failed(target, DateTimeOffset.UtcNow, delay(target), new ProbeFailure(ProbeFailureKind.Refused, "paced"));
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        private static void InterlockedMax(ref int field, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref field)) && Interlocked.CompareExchange(ref field, value, seen) != seen)
            {
            }
        }
    }

    private static IEnumerable<ProbeTarget> Targets(int count) =>
        Enumerable.Range(0, count).Select(i => ProbeTarget.For($"box{i}.home.arpa", 443));

    [Fact]
    public async Task Run_ManyTargets_NeverExceedsTheBound()
    {
        var probe = new PacedProbe(_ => TimeSpan.FromMilliseconds(20));

        var results = await new ProbeRunner(probe, maxConcurrent: 4).RunAllAsync(Targets(40));

        Assert.Equal(40, results.Count);
        Assert.Equal(40, results.Select(r => r.Target.Host).Distinct().Count());
        Assert.Equal(4, probe.MaxRunning);
    }

    [Fact]
    public async Task Run_SlowFirstTarget_OthersArriveBeforeIt()
    {
        var probe = new PacedProbe(t => t.Host == "box0.home.arpa" ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(10));

        var order = new List<string>();
        await foreach (var result in new ProbeRunner(probe, maxConcurrent: 2).RunAsync(Targets(5)))
        {
            order.Add(result.Target.Host);
        }

        Assert.Equal("box0.home.arpa", order[^1]);
        Assert.Equal(5, order.Count);
    }

    [Fact]
    public async Task Run_Cancelled_StopsStartingProbes()
    {
        var probe = new PacedProbe(_ => TimeSpan.FromSeconds(10));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ProbeRunner(probe, maxConcurrent: 3).RunAllAsync(Targets(30), cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(3, probe.Started.Count);
    }

    [Fact]
    public async Task Run_ConsumerStopsEarly_RemainingProbesAreCancelled()
    {
        var probe = new PacedProbe(t => t.Host == "box0.home.arpa" ? TimeSpan.FromMilliseconds(10) : TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        await foreach (var result in new ProbeRunner(probe, maxConcurrent: 4).RunAsync(Targets(8)))
        {
            Assert.Equal("box0.home.arpa", result.Target.Host);
            break;
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Run_NoTargets_YieldsNothing()
    {
        var results = await new ProbeRunner(new PacedProbe(_ => TimeSpan.Zero)).RunAllAsync([]);

        Assert.Empty(results);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Runner_BoundBelowOne_Throws(int bound)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProbeRunner(new PacedProbe(_ => TimeSpan.Zero), bound));
    }

    [Fact]
    public async Task Run_RealServers_ProbesEachWithItsOwnResult()
    {
        var pki = WatchPki.Shared;
        var leaf = pki.Leaf();
        using var key = WatchPki.WithKey(leaf);
        await using var good = TlsTestServer.Serve(TlsTestServer.Context(key));
        await using var silent = TlsTestServer.Misbehave(ServerBehaviour.Silent);
        await using var http = TlsTestServer.Misbehave(ServerBehaviour.PlainHttp);
        var probe = new EndpointProbe(TimeProvider.System, new ProbeOptions { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        var targets = new[] { good.Port, silent.Port, http.Port }.Select(p => new ProbeTarget("127.0.0.1", p, WatchPki.BoxName));

        var results = (await new ProbeRunner(probe).RunAllAsync(targets)).ToDictionary(r => r.Target.Port);

        Assert.True(results[good.Port].Succeeded);
        Assert.Equal(ProbeFailureKind.Timeout, results[silent.Port].Failure?.Kind);
        Assert.Equal(ProbeFailureKind.NotTls, results[http.Port].Failure?.Kind);
    }
}
