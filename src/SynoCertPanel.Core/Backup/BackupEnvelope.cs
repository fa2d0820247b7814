using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Backup;

/// <summary>
/// The encrypted outer layer of a backup file. Layout (all integers big-endian):
/// <code>
/// offset  size  field
///      0     8  magic "SCPBAKUP"
///      8     1  format version (1)
///      9     1  KDF id (1 = PBKDF2-HMAC-SHA256)
///     10     4  KDF iterations
///     14     1  salt length (16..64)
///     15     n  salt
///   15+n    12  AES-GCM nonce
///   27+n     …  ciphertext (the package)
///    end    16  AES-GCM tag
/// </code>
/// The whole header is bound in as associated data, so changing an iteration count or salt in the file
/// fails authentication instead of silently deriving another key.
/// </summary>
public static class BackupEnvelope
{
    public const byte FormatVersion = 1;
    public const byte Pbkdf2Sha256 = 1;

    /// <summary>
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256 (cheatsheetseries.owasp.org, Password Storage): a backup
    /// file may be copied to a USB stick or a cloud drive, so an offline guesser must pay for every try.
    /// About half a second on a NAS CPU, once per backup or restore.
    /// </summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Fewer rounds than this panel has ever written: such a header was not made here.</summary>
    public const int MinIterations = 100_000;

    /// <summary>A hostile file could ask for billions of rounds; this bound keeps a restore to a few seconds even on a slow NAS.</summary>
    public const int MaxIterations = 5_000_000;

    /// <summary>A home lab's inventory is a few MB; a bigger file is refused before it is read into memory.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    private const int SaltLength = 16;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int KeyLength = 32;
    private static readonly byte[] Magic = "SCPBAKUP"u8.ToArray();

    public static byte[] Seal(ReadOnlySpan<byte> package, string passphrase, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        var headerLength = Magic.Length + 1 + 1 + 4 + 1 + SaltLength + NonceLength;
        var file = new byte[headerLength + package.Length + TagLength];
        Magic.CopyTo(file, 0);
        file[8] = FormatVersion;
        file[9] = Pbkdf2Sha256;
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(10), iterations);
        file[14] = SaltLength;
        var salt = file.AsSpan(15, SaltLength);
        RandomNumberGenerator.Fill(salt);
        var nonce = file.AsSpan(15 + SaltLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        var key = DeriveKey(passphrase, salt, iterations);
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Encrypt(nonce, package, file.AsSpan(headerLength, package.Length), file.AsSpan(file.Length - TagLength), file.AsSpan(0, headerLength));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return file;
    }

    /// <summary>Checks the header, then decrypts; every refusal says what is wrong with the file.</summary>
    public static Result<byte[]> Open(ReadOnlySpan<byte> file, string passphrase)
    {
        if (file.Length > MaxFileBytes)
        {
            return Result.Failure<byte[]>($"The file is {file.Length / (1024 * 1024)} MiB; a backup is at most {MaxFileBytes / (1024 * 1024)} MiB.");
        }

        if (file.Length < Magic.Length || !file[..Magic.Length].SequenceEqual(Magic))
        {
            return Result.Failure<byte[]>("This is not a SynoCertPanel backup file (its first bytes are not the backup marker).");
        }

        if (file.Length < 15)
        {
            return Result.Failure<byte[]>("The backup file is truncated: its header is incomplete.");
        }

        if (file[8] != FormatVersion)
        {
            return Result.Failure<byte[]>($"The backup file has format version {file[8]}; this panel reads version {FormatVersion}. Restore it with the panel version that made it or a newer one.");
        }

        if (file[9] != Pbkdf2Sha256)
        {
            return Result.Failure<byte[]>($"The backup file names an unknown key derivation ({file[9]}); it was not made by this panel or is damaged.");
        }

        var iterations = BinaryPrimitives.ReadInt32BigEndian(file[10..]);
        if (iterations is < MinIterations or > MaxIterations)
        {
            return Result.Failure<byte[]>(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The backup file asks for {iterations} key-derivation rounds; only {MinIterations} to {MaxIterations} are accepted, so the file is damaged or forged."));
        }

        int saltLength = file[14];
        if (saltLength is < 16 or > 64)
        {
            return Result.Failure<byte[]>($"The backup file has a {saltLength}-byte salt; 16 to 64 are accepted, so the file is damaged.");
        }

        var headerLength = 15 + saltLength + NonceLength;
        if (file.Length < headerLength + TagLength)
        {
            return Result.Failure<byte[]>("The backup file is truncated: it ends before its encrypted content.");
        }

        var key = DeriveKey(passphrase, file.Slice(15, saltLength), iterations);
        var package = new byte[file.Length - headerLength - TagLength];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(file.Slice(15 + saltLength, NonceLength), file[headerLength..^TagLength], file[^TagLength..], package, file[..headerLength]);
            return Result.Success(package);
        }
        catch (AuthenticationTagMismatchException)
        {
            return Result.Failure<byte[]>("The passphrase is wrong, or the backup file was altered or truncated (it does not decrypt).");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] DeriveKey(string passphrase, ReadOnlySpan<byte> salt, int iterations)
    {
        var secret = Encoding.UTF8.GetBytes(passphrase);
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, KeyLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
