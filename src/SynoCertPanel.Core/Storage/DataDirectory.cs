namespace SynoCertPanel.Core.Storage;

/// <summary>
/// The one folder that holds all state: the SQLite database and the key-encryption key beside it.
/// Back up this folder (or use the encrypted backup) and nothing else is needed.
/// </summary>
public sealed class DataDirectory
{
    public const string DatabaseFileName = "synocertpanel.db";
    public const string KeyEncryptionKeyFileName = "key-encryption.key";

    public DataDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public string DatabasePath => System.IO.Path.Combine(Path, DatabaseFileName);

    public string KeyEncryptionKeyPath => System.IO.Path.Combine(Path, KeyEncryptionKeyFileName);

    /// <summary>
    /// Default Timeout is how long a write waits for another process's write (Microsoft.Data.Sqlite retries a busy
    /// database until then): scripts run many CLI processes at once, and on a loaded 2-core NAS each writer can hold
    /// the lock for seconds, so the 30 s default turned into "database is locked" with 16 waiting.
    /// </summary>
    public string ConnectionString => $"Data Source={DatabasePath};Pooling=True;Default Timeout=300";

    public void EnsureExists()
    {
        if (!Directory.Exists(Path))
        {
            Directory.CreateDirectory(Path);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }
}
