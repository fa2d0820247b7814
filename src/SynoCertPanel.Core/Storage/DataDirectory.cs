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

    public string ConnectionString => $"Data Source={DatabasePath};Pooling=True";

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
