using System.Security.Cryptography;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Formats;

/// <summary>Writes private keys as PKCS#8 (plain or encrypted) and in the traditional forms appliances ask for.</summary>
public static class PrivateKeyWriter
{
    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations for encrypted keys: OWASP's 2023 advice for that hash
    /// (cheatsheetseries.owasp.org, Password Storage). openssl's default of 2,048 is far too cheap against
    /// guessing; 600,000 costs a fraction of a second once per import.
    /// </summary>
    public const int EncryptionIterations = 600_000;

    public static byte[] ToPkcs8Der(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportPkcs8();
    }

    public static string ToPkcs8Pem(PrivateKey key) => Pem.Encode(Pem.PrivateKeyLabel, ToPkcs8Der(key));

    /// <summary>PBES2: AES-256-CBC with a key from PBKDF2-HMAC-SHA256, as `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256`.</summary>
    public static byte[] ToEncryptedPkcs8Der(PrivateKey key, string passphrase)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        var parameters = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, EncryptionIterations);
        return key.WithDotNetKey(k => k.ExportEncryptedPkcs8PrivateKey(passphrase.AsSpan(), parameters));
    }

    public static string ToEncryptedPkcs8Pem(PrivateKey key, string passphrase) =>
        Pem.Encode(Pem.EncryptedPrivateKeyLabel, ToEncryptedPkcs8Der(key, passphrase));

    /// <summary>PKCS#1 "RSA PRIVATE KEY", as `openssl rsa -traditional` writes it. RSA keys only.</summary>
    public static string ToPkcs1Pem(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Pem.Encode(Pem.RsaPrivateKeyLabel, TraditionalKeys.Pkcs1From(key));
    }

    /// <summary>SEC1 "EC PRIVATE KEY" with the named curve and public key, as `openssl ec` writes it. EC keys only.</summary>
    public static string ToSec1Pem(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Pem.Encode(Pem.EcPrivateKeyLabel, TraditionalKeys.Sec1From(key));
    }

    /// <summary>The traditional form for the key's type: PKCS#1 for RSA, SEC1 for ECDSA.</summary>
    public static string ToTraditionalPem(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Algorithm.IsRsa() ? ToPkcs1Pem(key) : ToSec1Pem(key);
    }
}
