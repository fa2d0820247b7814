using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>
/// Reads a PKCS#12 (.pfx/.p12) file holding one private key, its certificate and optional issuers.
/// </summary>
/// <remarks>
/// Built on .NET's <see cref="X509CertificateLoader"/> rather than BouncyCastle's Pkcs12Store: the .NET loader
/// checks every MAC and KDF iteration count, and the number of certificates and keys, against
/// <see cref="Pkcs12LoaderLimits"/> before doing the work, including the bags found only after decrypting an
/// outer layer, which a pre-check of our own could not see without decrypting them itself. BouncyCastle derives
/// keys with whatever count the file claims (2^31-1 means hours of CPU) and parses ASN.1 recursively.
/// The .NET loader silently drops a key that no certificate claims, so that case is found by loading again
/// with no key allowed (see <see cref="ExplainMissingKey"/>).
/// </remarks>
public static class Pkcs12Reader
{
    /// <summary>A key and a chain of a few certificates take 3–20 KiB.</summary>
    public const int MaxInputBytes = 256 * 1024;

    public const int MaxCertificates = 32;

    /// <summary>
    /// Real tools use 2,000 (Windows, .NET, OpenSSL 2,048) to 10,000 (Java). 100,000 iterations cost about 0.1 s
    /// here, so the caps keep the worst accepted file (MAC + total KDF, loaded at most twice) well under a second.
    /// </summary>
    public const int MaxIterations = 50_000;

    public const int MaxTotalKdfIterations = 100_000;

    public const string PasswordRequiredMessage = "This PKCS#12 file is protected by a password: enter it to open the file.";

    public const string WrongPasswordMessage = "The password is wrong for this PKCS#12 file.";

    // ERROR_INVALID_PASSWORD: what the .NET loader reports when the MAC or a decryption fails under the password.
    private const int InvalidPasswordHResult = unchecked((int)0x80070056);

    private const X509KeyStorageFlags StorageFlags = X509KeyStorageFlags.EphemeralKeySet | X509KeyStorageFlags.Exportable;

    public static Result<Pkcs12Contents> Read(ReadOnlySpan<byte> data, string? password)
    {
        if (data.Length == 0)
        {
            return Fail("The PKCS#12 file is empty.");
        }

        if (data.Length > MaxInputBytes)
        {
            return Fail($"The file is {data.Length / 1024} KiB; a PKCS#12 file with a key and its chain is far smaller (at most {MaxInputBytes / 1024} KiB accepted).");
        }

        if (data[0] != 0x30)
        {
            return Fail("The data is not a PKCS#12 file (it does not start with an ASN.1 sequence).");
        }

        var bytes = data.ToArray();
        var warnings = new List<string>();
        var loaded = Load(bytes, password, maxKeys: 1);
        if (loaded.PasswordRejected)
        {
            if (string.IsNullOrEmpty(password))
            {
                return Fail(PasswordRequiredMessage);
            }

            // Files exported "without a password" are still encrypted under the empty one; accept them.
            loaded = Load(bytes, null, maxKeys: 1);
            if (loaded.PasswordRejected)
            {
                return Fail(WrongPasswordMessage);
            }

            warnings.Add("The file has no password; the password given was not needed.");
        }

        if (loaded.Error is not null)
        {
            return Fail(loaded.Error);
        }

        using var collection = new DisposableCollection(loaded.Certificates!);
        var result = Extract(collection.Items, bytes, password);
        return result.IsSuccess ? Result.Success(result.Value, warnings) : result;
    }

    private static Result<Pkcs12Contents> Extract(X509Certificate2Collection loaded, byte[] bytes, string? password)
    {
        var keyed = loaded.Where(c => c.HasPrivateKey).ToList();
        if (keyed.Count == 0)
        {
            return Fail(ExplainMissingKey(bytes, password, loaded.Count));
        }

        var key = ExportKey(keyed[0]);
        if (!key.IsSuccess)
        {
            return Fail(key.Error!);
        }

        var certificates = new List<Certificate>(loaded.Count);
        foreach (var item in loaded)
        {
            var parsed = Certificate.FromDer(item.RawData);
            if (!parsed.IsSuccess)
            {
                return Fail($"Certificate {certificates.Count + 1} in the PKCS#12 file cannot be read: {parsed.Error}");
            }

            certificates.Add(parsed.Value);
        }

        var leaf = certificates[loaded.IndexOf(keyed[0])];
        if (ExplicitCurveParameters.Problem(certificates) is { } explicitCurve)
        {
            return Fail(explicitCurve);
        }

        if (!leaf.Matches(key.Value))
        {
            return Fail("The private key in the PKCS#12 file does not belong to the certificate it is filed with.");
        }

        var others = certificates.Where(c => !ReferenceEquals(c, leaf)).ToList();
        return Result.Success(new Pkcs12Contents(leaf, key.Value, ChainOrder.IssuersFirst(leaf, others)));
    }

    private static Result<PrivateKey> ExportKey(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey();
        if (key is null)
        {
            return Result.Failure<PrivateKey>("The PKCS#12 file holds a private key of a type the panel does not support (RSA and ECDSA only).");
        }

        try
        {
            return PrivateKey.FromPkcs8(key.ExportPkcs8PrivateKey());
        }
        catch (CryptographicException)
        {
            return Result.Failure<PrivateKey>("The private key in the PKCS#12 file cannot be exported from it.");
        }
    }

    /// <summary>
    /// No certificate came with a key: either the file has none, or its key matches none of the certificates
    /// (the loader drops such a key). Loading again with no key allowed tells the two apart.
    /// </summary>
    private static string ExplainMissingKey(byte[] bytes, string? password, int certificateCount)
    {
        var again = Load(bytes, password, maxKeys: 0);
        again.Certificates?.DisposeAll();
        if (again.KeyLimitExceeded || again.PasswordRejected)
        {
            return "The private key in the PKCS#12 file matches none of its certificates.";
        }

        return certificateCount == 0
            ? "The PKCS#12 file holds neither a certificate nor a private key."
            : "The PKCS#12 file holds certificates but no private key; import the certificates as PEM, DER or PKCS#7 instead.";
    }

    private static LoadOutcome Load(byte[] bytes, string? password, int maxKeys)
    {
        var limits = new Pkcs12LoaderLimits
        {
            MacIterationLimit = MaxIterations,
            IndividualKdfIterationLimit = MaxIterations,
            TotalKdfIterationLimit = MaxTotalKdfIterations,
            MaxCertificates = MaxCertificates,
            MaxKeys = maxKeys,
            PreserveCertificateAlias = false,
            PreserveKeyName = false,
            PreserveStorageProvider = false,
            PreserveUnknownAttributes = false,
        };
        try
        {
            return new LoadOutcome(X509CertificateLoader.LoadPkcs12Collection(bytes, password, StorageFlags, limits), null);
        }
        catch (Pkcs12LoadLimitExceededException e)
        {
            return LimitOutcome(e.Message);
        }
        catch (CryptographicException e) when (e.HResult == InvalidPasswordHResult)
        {
            return new LoadOutcome(null, WrongPasswordMessage) { PasswordRejected = true };
        }
        catch (CryptographicException)
        {
            return new LoadOutcome(null, "The file is damaged or is not a PKCS#12 (.pfx/.p12) file.");
        }
    }

    // The loader names the limit it hit (its message is "...violated the 'MaxKeys' limit.").
    private static LoadOutcome LimitOutcome(string message)
    {
        if (message.Contains(nameof(Pkcs12LoaderLimits.MaxKeys), StringComparison.Ordinal))
        {
            return new LoadOutcome(null, "The PKCS#12 file holds more than one private key; export one certificate with its key at a time.")
            {
                KeyLimitExceeded = true,
            };
        }

        if (message.Contains(nameof(Pkcs12LoaderLimits.MaxCertificates), StringComparison.Ordinal))
        {
            return new LoadOutcome(null, $"The PKCS#12 file holds more than {MaxCertificates} certificates.");
        }

        return new LoadOutcome(null,
            $"The PKCS#12 file asks for more key-derivation work than any real file (iteration counts above {MaxIterations}); it was refused unread.");
    }

    private static Result<Pkcs12Contents> Fail(string message) => Result.Failure<Pkcs12Contents>(message);

    private sealed record LoadOutcome(X509Certificate2Collection? Certificates, string? Error)
    {
        public bool PasswordRejected { get; init; }

        public bool KeyLimitExceeded { get; init; }
    }
}
