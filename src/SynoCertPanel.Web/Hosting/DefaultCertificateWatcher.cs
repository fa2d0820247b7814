namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// Polls the default-certificate setting so a change made by another process on the same data directory
/// (`synocertpanel cert set-default`, `reset-tls`) is served within a second. One indexed SQLite read per
/// poll costs far less than a file watcher's edge cases (WAL files, network shares on a NAS).
/// </summary>
public sealed class DefaultCertificateWatcher(ListenerService listener, TimeProvider time, ILogger<DefaultCertificateWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await listener.FollowDefaultAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    // A locked or briefly unreadable database must not stop the listener; the next poll tries again.
                    ListenerLog.PollFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
