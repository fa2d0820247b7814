using System.Security.Cryptography;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Security;

/// <summary>
/// The key-encryption key lives in its own file beside the database (mode 0600), never inside it, so a
/// copy of the database alone reveals no private key. It is created only together with a new database:
/// a missing or wrong file for an existing database is an error naming the file, never a silent new key.
/// </summary>
public static class KeyEncryptionKeyFile
{
    private const string CheckPurpose = "key-encryption-key-check";
    private static readonly byte[] CheckPlaintext = "SynoCertPanel"u8.ToArray();

    public static KeyProtector CreateNew(DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (File.Exists(data.KeyEncryptionKeyPath))
        {
            throw new InvalidOperationException($"Refusing to overwrite the existing key-encryption key {data.KeyEncryptionKeyPath}.");
        }

        var key = RandomNumberGenerator.GetBytes(KeyProtector.KeyLength);
        AtomicFile.Write(data.KeyEncryptionKeyPath, key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new KeyProtector(key);
    }

    public static Result<KeyProtector> Load(DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var path = data.KeyEncryptionKeyPath;
        if (!File.Exists(path))
        {
            return Result.Failure<KeyProtector>(
                $"The key-encryption key {path} is missing, so the private keys in {data.DatabasePath} cannot be decrypted. "
                + "Restore the file from your backup; the panel will not create a new one for an existing database.");
        }

        var bytes = File.ReadAllBytes(path);
        return bytes.Length == KeyProtector.KeyLength
            ? Result.Success(new KeyProtector(bytes))
            : Result.Failure<KeyProtector>($"The key-encryption key {path} is damaged: it must be exactly {KeyProtector.KeyLength} bytes, not {bytes.Length}.");
    }

    public static string MakeCheckValue(KeyProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return Convert.ToBase64String(protector.Seal(CheckPlaintext, CheckPurpose));
    }

    public static bool MatchesCheckValue(KeyProtector protector, string checkValue)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var blob = new byte[((checkValue?.Length ?? 0) * 3 / 4) + 3];
        return Convert.TryFromBase64String(checkValue ?? string.Empty, blob, out var written)
            && protector.Open(blob.AsSpan(0, written), CheckPurpose) is { } plain
            && plain.AsSpan().SequenceEqual(CheckPlaintext);
    }
}
