using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// Follows the default-certificate setting so a change made by another process on the same data directory
/// (`synocertpanel cert set-default`, `reset-tls`) is served within a second. Each poll asks SQLite's
/// <c>PRAGMA data_version</c> on a connection kept open for it, which changes only when another connection has
/// committed something: an idle panel does one cheap read per poll and looks at the setting only after a write.
/// Polling costs far less than a file watcher's edge cases (WAL files, network shares on a NAS).
/// </summary>
public sealed class DefaultCertificateWatcher(PanelStorage storage, ListenerService listener, TimeProvider time, ILogger<DefaultCertificateWatcher> logger)
    : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, time);
        SqliteConnection? connection = null;
        long? seen = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    connection ??= await SqliteConnections.OpenUnpooledAsync(storage.Data, stoppingToken).ConfigureAwait(false);
                    var version = await DataVersionAsync(connection, stoppingToken).ConfigureAwait(false);
                    if (version == seen)
                    {
                        continue;
                    }

                    await listener.FollowDefaultAsync(stoppingToken).ConfigureAwait(false);
                    seen = version;
                }
                catch (SqliteException e)
                {
                    ListenerLog.PollFailed(logger, e);
                    // A fresh connection next time (unpooled, so really new): this one may be what failed.
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                    }

                    connection = null;
                    seen = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<long> DataVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "PRAGMA data_version";
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }
}
