namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// Gives back to the system, once, the memory that start-up needed and the idle panel does not: migrations, the first
/// certificate, building the services and routes. A full compacting collection that also returns freed pages costs a few
/// milliseconds once and lowered the idle footprint by about 5 MB (bench/RESULTS.md, "Published app footprint").
/// </summary>
public sealed class StartupMemoryTrim(IHostApplicationLifetime lifetime, TimeProvider time) : BackgroundService
{
    /// <summary>How long after the host has started: long enough for the first requests' one-off work to be garbage.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The collection itself; replaceable so a test can see when it runs.</summary>
    public Action Trim { get; init; } = GiveBack;

    /// <summary>A full compacting collection that returns the freed pages to the system: a few milliseconds on the panel's small heap.</summary>
    public static void GiveBack() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
                await Task.Delay(Delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }

        Trim();
    }
}
