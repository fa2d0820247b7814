using System.Security.Cryptography;
using System.Text;

namespace SynoCertPanel.Pki.Formats;

/// <summary>The CBC ciphers found in encrypted key files, decrypted with the platform's OpenSSL.</summary>
internal enum KeyCipher
{
    Aes128Cbc,
    Aes192Cbc,
    Aes256Cbc,
    DesEde3Cbc,
}

internal static class KeyDecryption
{
    public static int KeySize(this KeyCipher cipher) => cipher switch
    {
        KeyCipher.Aes128Cbc => 16,
        KeyCipher.Aes192Cbc => 24,
        KeyCipher.Aes256Cbc => 32,
        KeyCipher.DesEde3Cbc => 24,
        _ => throw new ArgumentOutOfRangeException(nameof(cipher), cipher, null),
    };

    public static int BlockSize(this KeyCipher cipher) => cipher == KeyCipher.DesEde3Cbc ? 8 : 16;

    /// <summary>openssl passes the passphrase's bytes as typed; terminals and browsers give UTF-8.</summary>
    public static byte[] PassphraseBytes(string passphrase) => Encoding.UTF8.GetBytes(passphrase);

    /// <summary>Null when the padding is wrong, which almost always means a wrong passphrase.</summary>
    public static byte[]? DecryptCbc(KeyCipher cipher, byte[] key, byte[] iv, byte[] data)
    {
        if (data.Length == 0 || data.Length % cipher.BlockSize() != 0 || iv.Length != cipher.BlockSize())
        {
            return null;
        }

        try
        {
            if (cipher == KeyCipher.DesEde3Cbc)
            {
                // Only to read keys that older tools encrypted this way; we never write 3DES.
#pragma warning disable CA5350
                using var des = TripleDES.Create();
#pragma warning restore CA5350
                des.Key = key;
                return des.DecryptCbc(data, iv);
            }

            using var aes = Aes.Create();
            aes.Key = key;
            return aes.DecryptCbc(data, iv);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
