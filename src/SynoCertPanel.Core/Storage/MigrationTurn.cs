using Microsoft.EntityFrameworkCore;

namespace SynoCertPanel.Core.Storage;

/// <summary>
/// Lets processes that open the same data directory apply migrations one after the other. EF Core's own SQLite
/// migration lock is a row in __EFMigrationsLock: with many processes starting at once it fails with "database is
/// locked", and a process that dies holding it leaves the row behind, so every later start waits forever. An OS file
/// lock is released by the kernel when its holder dies, so inside it any such row is stale and is cleared.
/// </summary>
internal static class MigrationTurn
{
    public const string FileName = "synocertpanel.migrate.lock";

    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(50);

    public static async Task MigrateAsync(DataDirectory data, PanelDbContext db, CancellationToken cancellationToken)
    {
        await using var turn = await WaitAsync(Path.Combine(data.Path, FileName), cancellationToken).ConfigureAwait(false);
        var lockTableExists = await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'")
            .SingleAsync(cancellationToken).ConfigureAwait(false) > 0;
        if (lockTableExists)
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsLock\"", cancellationToken).ConfigureAwait(false);
        }

        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<FileStream> WaitAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix: another process gets an IOException until this one closes it or dies.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(Retry, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
