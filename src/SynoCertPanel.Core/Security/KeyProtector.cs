using System.Security.Cryptography;
using System.Text;

namespace SynoCertPanel.Core.Security;

/// <summary>
/// Encrypts private keys at rest with AES-256-GCM under the key-encryption key. Each blob carries a
/// version byte, a random 96-bit nonce and the tag; the purpose ("key:42") is bound in as associated
/// data, so a blob copied onto another row does not decrypt.
/// </summary>
public sealed class KeyProtector
{
    public const int KeyLength = 32;
    private const byte Version = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly byte[] _key;

    public KeyProtector(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"The key-encryption key must be {KeyLength} bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string purpose)
    {
        var blob = new byte[1 + NonceLength + TagLength + plaintext.Length];
        blob[0] = Version;
        var nonce = blob.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(1 + NonceLength + TagLength), blob.AsSpan(1 + NonceLength, TagLength),
            Encoding.UTF8.GetBytes(purpose));
        return blob;
    }

    /// <summary>Decrypts a blob; null when it was sealed under another key or purpose, or altered.</summary>
    public byte[]? Open(ReadOnlySpan<byte> blob, string purpose)
    {
        if (blob.Length < 1 + NonceLength + TagLength || blob[0] != Version)
        {
            return null;
        }

        var plaintext = new byte[blob.Length - 1 - NonceLength - TagLength];
        using var aes = new AesGcm(_key, TagLength);
        try
        {
            aes.Decrypt(blob.Slice(1, NonceLength), blob[(1 + NonceLength + TagLength)..], blob.Slice(1 + NonceLength, TagLength),
                plaintext, Encoding.UTF8.GetBytes(purpose));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
