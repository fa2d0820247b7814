namespace SynoCertPanel.Core.Storage;

/// <summary>
/// Takes turns between processes through an OS file lock, which the kernel releases when its holder dies, so a crash
/// never leaves the next process waiting. For work that several processes on one data directory would otherwise all do
/// and all but one throw away (migrations, the first root CA).
/// </summary>
public static class FileTurn
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until this process holds the lock file at <paramref name="path"/>; disposing the stream ends the turn.</summary>
    public static async Task<FileStream> WaitAsync(string path, CancellationToken cancellationToken = default)
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
