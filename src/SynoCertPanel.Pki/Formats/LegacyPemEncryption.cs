using Org.BouncyCastle.Crypto.Digests;

namespace SynoCertPanel.Pki.Formats;

/// <summary>
/// OpenSSL's pre-PKCS#8 key encryption ("Proc-Type: 4,ENCRYPTED" and "DEK-Info: cipher,iv" headers),
/// written by `openssl genrsa -aes256` and `openssl rsa -aes128 -traditional`. The key is derived with
/// EVP_BytesToKey (one MD5 round over passphrase and the IV's first 8 bytes): weak, but it is the format.
/// </summary>
internal static class LegacyPemEncryption
{
    private static readonly Dictionary<string, KeyCipher> Ciphers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AES-128-CBC"] = KeyCipher.Aes128Cbc,
        ["AES-192-CBC"] = KeyCipher.Aes192Cbc,
        ["AES-256-CBC"] = KeyCipher.Aes256Cbc,
        ["DES-EDE3-CBC"] = KeyCipher.DesEde3Cbc,
    };

    public static ReadResult<byte[]> Decrypt(PemBlock block, string passphrase)
    {
        if (!block.Headers.TryGetValue("DEK-Info", out var dekInfo))
        {
            return ReadResult<byte[]>.Failure(ReadProblem.Damaged, "The encrypted key has no DEK-Info header (the file is damaged).");
        }

        var parts = dekInfo.Split(',', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            return ReadResult<byte[]>.Failure(ReadProblem.Damaged, $"The key's DEK-Info header \"{Display.Literal(dekInfo, 60)}\" is damaged.");
        }

        if (!Ciphers.TryGetValue(parts[0], out var cipher))
        {
            return ReadResult<byte[]>.Failure(ReadProblem.Unsupported,
                $"The key is encrypted with {Display.Literal(parts[0], 30)}; the panel reads AES-128/192/256-CBC and DES-EDE3-CBC. Convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`.");
        }

        byte[] iv;
        try
        {
            iv = Convert.FromHexString(parts[1]);
        }
        catch (FormatException)
        {
            return ReadResult<byte[]>.Failure(ReadProblem.Damaged, "The key's DEK-Info header has a damaged IV.");
        }

        if (iv.Length != cipher.BlockSize())
        {
            return ReadResult<byte[]>.Failure(ReadProblem.Damaged, "The key's DEK-Info IV has the wrong length for its cipher.");
        }

        var key = BytesToKey(KeyDecryption.PassphraseBytes(passphrase), iv.AsSpan(0, 8), cipher.KeySize());
        var plain = KeyDecryption.DecryptCbc(cipher, key, iv, block.Data);
        return plain is null ? EncryptedPkcs8.WrongPassphrase() : ReadResult<byte[]>.Success(plain);
    }

    /// <summary>EVP_BytesToKey with MD5 and one round: D1 = MD5(pass‖salt), Di = MD5(Di-1‖pass‖salt).</summary>
    private static byte[] BytesToKey(byte[] passphrase, ReadOnlySpan<byte> salt, int length)
    {
        var md5 = new MD5Digest();
        var key = new byte[length];
        var previous = Array.Empty<byte>();
        for (var filled = 0; filled < length;)
        {
            md5.BlockUpdate(previous);
            md5.BlockUpdate(passphrase);
            md5.BlockUpdate(salt);
            previous = new byte[md5.GetDigestSize()];
            md5.DoFinal(previous, 0);
            var take = Math.Min(previous.Length, length - filled);
            previous.AsSpan(0, take).CopyTo(key.AsSpan(filled));
            filled += take;
        }

        return key;
    }
}
