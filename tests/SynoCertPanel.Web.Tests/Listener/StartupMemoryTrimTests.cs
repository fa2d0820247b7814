using Microsoft.Extensions.Hosting;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Listener;

public sealed class StartupMemoryTrimTests
{
    [Fact]
    public async Task Trims_Once_AfterTheHostHasStarted_NotBefore()
    {
        var lifetime = new Lifetime();
        var trims = 0;
        var trim = new StartupMemoryTrim(lifetime, TimeProvider.System) { Delay = TimeSpan.FromMilliseconds(20), Trim = () => Interlocked.Increment(ref trims) };

        await trim.StartAsync(CancellationToken.None);
        await Task.Delay(300);
        Assert.Equal(0, trims);

        await lifetime.Started.CancelAsync();
        await trim.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, trims);
        await trim.StopAsync(CancellationToken.None);
        Assert.Equal(1, trims);
    }

    [Fact]
    public async Task StoppedBeforeTheHostStarted_NeverTrims()
    {
        var lifetime = new Lifetime();
        var trims = 0;
        var trim = new StartupMemoryTrim(lifetime, TimeProvider.System) { Delay = TimeSpan.Zero, Trim = () => Interlocked.Increment(ref trims) };

        await trim.StartAsync(CancellationToken.None);
        await trim.StopAsync(CancellationToken.None);
        await lifetime.Started.CancelAsync();
        await Task.Delay(100);

        Assert.True(trim.ExecuteTask!.IsCompleted);
        Assert.Equal(0, trims);
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Started { get; } = new();

        public CancellationToken ApplicationStarted => Started.Token;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
