using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Watch;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Listener;

public sealed class BoxAutomationTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("box-automation-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Start_AfterAStopMidDeploy_MarksItUnfinished_AndProbesTheBoxAgain()
    {
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(_data))).Value;
        var added = await new BoxService(storage, BoxDeliveries.Standard(TimeProvider.System), TimeProvider.System)
            .AddAsync(new BoxDraft { Name = "nas2", Addresses = ["127.0.0.1"], Watch = ["127.0.0.1:1"] }, "admin");
        Assert.True(added.IsSuccess, added.Error);
        await using (var db = storage.CreateContext())
        {
            db.Deployments.Add(new DeploymentRecord { BoxId = added.Value.Id, StartedAt = DateTimeOffset.UtcNow, Actor = "admin", Outcome = DeploymentOutcome.Running });
            await db.SaveChangesAsync();
        }

        await using var panel = await RunningPanel.StartAsync(_data);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        DeploymentRecord row;
        BoxEndpointRecord endpoint;
        do
        {
            await Task.Delay(200);
            await using var db = storage.CreateContext();
            row = await db.Deployments.AsNoTracking().SingleAsync();
            endpoint = await db.BoxEndpoints.AsNoTracking().SingleAsync();
        }
        while ((row.Outcome == DeploymentOutcome.Running || endpoint.CheckedAt is null) && DateTime.UtcNow < deadline);

        Assert.Equal(DeploymentOutcome.Unfinished, row.Outcome);
        Assert.Contains("stopped in the middle", row.Message, StringComparison.Ordinal);
        Assert.Equal("unreachable", endpoint.State);
    }

    [Fact]
    public async Task ShortCheckInterval_ProbesAgainWhenItIsUp_NotAtTheRenewalPoll()
    {
        var (clock, rounds, automation) = await StartAutomationAsync("0.05");
        await WaitForRoundsAsync(rounds, 1);

        clock.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(300);
        Assert.Single(rounds);

        clock.Advance(TimeSpan.FromMinutes(1));
        await WaitForRoundsAsync(rounds, 2);
        clock.Advance(TimeSpan.FromMinutes(3));
        await WaitForRoundsAsync(rounds, 3);
        Assert.All(rounds, r => Assert.True(r.AllBoxes && r.Endpoints == 1, r.ToString()));
        await automation.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DefaultCheckInterval_RenewalPollsInBetween_DoNotProbe()
    {
        var (clock, rounds, automation) = await StartAutomationAsync(null);
        await WaitForRoundsAsync(rounds, 1);

        for (var poll = 0; poll < 23; poll++)
        {
            clock.Advance(BoxAutomation.RenewalPoll);
        }

        await Task.Delay(300);
        Assert.Single(rounds);
        clock.Advance(BoxAutomation.RenewalPoll);
        await WaitForRoundsAsync(rounds, 2);
        await automation.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task EachRoundThatProbed_HandsItsMemoryBack_OnceAfterItEnds_NotAtTheRenewalPolls()
    {
        var trims = new ConcurrentQueue<int>();
        var (clock, rounds, automation) = await StartAutomationAsync(null, seen => () => trims.Enqueue(seen.Count));
        await WaitForRoundsAsync(rounds, 1);
        await WaitForAsync(() => trims.Count == 1);

        for (var poll = 0; poll < 23; poll++)
        {
            clock.Advance(BoxAutomation.RenewalPoll);
        }

        await Task.Delay(300);
        Assert.Single(trims);
        clock.Advance(BoxAutomation.RenewalPoll);
        await WaitForRoundsAsync(rounds, 2);
        await WaitForAsync(() => trims.Count == 2);
        // Each trim came after its round had been counted: the round's garbage, not half of it.
        Assert.Equal([1, 2], trims);
        await automation.StopAsync(CancellationToken.None);
    }

    private async Task<(SteppedClock Clock, ConcurrentQueue<ProbeRound> Rounds, BoxAutomation Automation)> StartAutomationAsync(string? intervalHours,
        Func<ConcurrentQueue<ProbeRound>, Action>? afterRound = null)
    {
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(_data))).Value;
        Assert.True((await new BoxService(storage, BoxDeliveries.Standard(TimeProvider.System), TimeProvider.System)
            .AddAsync(new BoxDraft { Name = "nas2", Addresses = ["127.0.0.1"], Watch = ["127.0.0.1:1"] }, "admin")).IsSuccess);
        var clock = new SteppedClock();
        var rounds = new RoundRecorder();
        var services = new ServiceCollection()
            .AddSingleton(storage)
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(BoxDeliveries.Standard(TimeProvider.System))
            // Nothing listens on port 1: each probe is refused at once, whatever the stepped clock says.
            .AddSingleton<IEndpointProbe>(new EndpointProbe(TimeProvider.System))
            .AddSingleton<IProbeRoundObserver>(rounds)
            .AddScoped<BoxWatch>()
            .AddScoped<DeployService>()
            .BuildServiceProvider();
        var settings = new Dictionary<string, string?>();
        if (intervalHours is not null)
        {
            settings["Boxes:CheckIntervalHours"] = intervalHours;
        }

        var automation = new BoxAutomation(services.GetRequiredService<IServiceScopeFactory>(), storage, clock,
            new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), NullLogger<BoxAutomation>.Instance)
        {
            // The real collection is harmless here, but counting shows when it runs.
            AfterRound = afterRound?.Invoke(rounds.Rounds) ?? (() => { }),
        };
        await automation.StartAsync(CancellationToken.None);
        return (clock, rounds.Rounds, automation);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }

    private static async Task WaitForRoundsAsync(ConcurrentQueue<ProbeRound> rounds, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (rounds.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(count, rounds.Count);
    }

    private sealed class RoundRecorder : IProbeRoundObserver
    {
        public ConcurrentQueue<ProbeRound> Rounds { get; } = new();

        public void RoundFinished(ProbeRound round) => Rounds.Enqueue(round);
    }
}
