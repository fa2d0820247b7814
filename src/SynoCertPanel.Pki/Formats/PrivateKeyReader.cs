using Org.BouncyCastle.Asn1;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Formats;

/// <summary>
/// Reads a private key from PEM or DER, whichever the data is: PKCS#8 (plain or encrypted), PKCS#1 RSA,
/// SEC1 EC (with or without a leading EC PARAMETERS block), and openssl's legacy encrypted PEM.
/// The <see cref="ReadProblem"/> of a failure tells a page whether to ask for a passphrase.
/// </summary>
public static class PrivateKeyReader
{
    /// <summary>
    /// The most PBKDF2 or PKCS#12-KDF iterations accepted. Real tools use 2,048 (openssl) to 600,000
    /// (OWASP 2023 advice); ten million already takes seconds, and more is only useful to an attacker.
    /// </summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>An RSA-4096 key is ~2.4 KiB of DER; 16 KiB leaves room for RSA-8192 and padding, and bounds parsing.</summary>
    public const int MaxKeyDerBytes = 16 * 1024;

    public static ReadResult<PrivateKey> Read(ReadOnlySpan<byte> data, string? passphrase = null)
    {
        if (data.IsEmpty)
        {
            return Failure(ReadProblem.Damaged, "The key file is empty.");
        }

        if (data.Length > PemReader.MaxInputBytes)
        {
            return Failure(ReadProblem.LimitExceeded, $"The key file is {data.Length / 1024} KiB; key files over {PemReader.MaxInputBytes / 1024} KiB are not accepted.");
        }

        if (!PemReader.LooksLikePem(data))
        {
            return ReadDer(data, passphrase);
        }

        var blocks = PemReader.ReadAll(data);
        return blocks.IsSuccess ? ReadPem(blocks.Value, passphrase) : Failure(ReadProblem.Damaged, blocks.Error!);
    }

    /// <summary>Finds the one private key among PEM blocks (certificates and other blocks are ignored).</summary>
    public static ReadResult<PrivateKey> ReadPem(IReadOnlyList<PemBlock> blocks, string? passphrase = null)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var keys = blocks.Where(b => IsPrivateKeyLabel(b.Label)).ToList();
        if (keys.Count == 0)
        {
            var found = string.Join(", ", blocks.Select(b => Display.Literal(b.Label, 40)).Distinct());
            return Failure(ReadProblem.Damaged, $"No private key found (the file holds: {found}).");
        }

        if (keys.Count > 1)
        {
            return Failure(ReadProblem.Inconsistent, $"The file holds {keys.Count} private keys; give exactly one.");
        }

        var parameters = blocks.FirstOrDefault(b => b.Label == "EC PARAMETERS");
        return ReadBlock(keys[0], passphrase, parameters);
    }

    public static bool IsPrivateKeyLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return label.EndsWith("PRIVATE KEY", StringComparison.Ordinal);
    }

    /// <summary>Reads one PEM key block; <paramref name="ecParameters"/> names the curve for SEC1 keys that omit it.</summary>
    public static ReadResult<PrivateKey> ReadBlock(PemBlock block, string? passphrase = null, PemBlock? ecParameters = null)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Data.Length > MaxKeyDerBytes)
        {
            return Failure(ReadProblem.LimitExceeded, $"The {Display.Literal(block.Label, 40)} block is {block.Data.Length} bytes, larger than any supported key.");
        }

        if (block.Label is "DSA PRIVATE KEY" or "OPENSSH PRIVATE KEY")
        {
            var advice = block.Label == "DSA PRIVATE KEY"
                ? "DSA keys are not accepted for TLS by browsers"
                : "OpenSSH keys are for SSH; convert an RSA or ECDSA one with `ssh-keygen -p -m PKCS8 -f FILE`";
            return Failure(ReadProblem.Unsupported, $"The file holds a {block.Label}: {advice}.");
        }

        var kind = block.Label switch
        {
            Pem.PrivateKeyLabel => KeyStructure.Pkcs8,
            Pem.EncryptedPrivateKeyLabel => KeyStructure.EncryptedPkcs8,
            Pem.RsaPrivateKeyLabel => KeyStructure.Pkcs1,
            Pem.EcPrivateKeyLabel => KeyStructure.Sec1,
            _ => (KeyStructure?)null,
        };
        if (kind is null)
        {
            return Failure(ReadProblem.Unsupported, $"\"{Display.Literal(block.Label, 40)}\" blocks are not a key format the panel reads.");
        }

        if (!block.IsEncryptedLegacy)
        {
            return ReadStructure(kind.Value, block.Data, passphrase, ecParameters?.Data);
        }

        if (kind is not (KeyStructure.Pkcs1 or KeyStructure.Sec1))
        {
            return Failure(ReadProblem.Damaged, $"A {Display.Literal(block.Label, 40)} block cannot carry legacy encryption headers.");
        }

        if (string.IsNullOrEmpty(passphrase))
        {
            return NeedsPassphrase();
        }

        var plain = LegacyPemEncryption.Decrypt(block, passphrase);
        if (!plain.IsSuccess)
        {
            return plain.FailAs<PrivateKey>();
        }

        // After decryption, unreadable content means the passphrase was wrong (the padding check passes 1 in 256 times).
        var key = ReadStructure(kind.Value, plain.Value, null, ecParameters?.Data);
        return key.Problem == ReadProblem.Damaged ? EncryptedPkcs8.WrongPassphrase().FailAs<PrivateKey>() : key;
    }

    /// <summary>Reads DER, recognising PKCS#8, encrypted PKCS#8, PKCS#1 and SEC1 by their structure.</summary>
    public static ReadResult<PrivateKey> ReadDer(ReadOnlySpan<byte> der, string? passphrase = null)
    {
        if (der.IsEmpty)
        {
            return Failure(ReadProblem.Damaged, "The key file is empty.");
        }

        if (der.Length > MaxKeyDerBytes)
        {
            return Failure(ReadProblem.LimitExceeded, $"The data is {der.Length / 1024} KiB, larger than any supported key in DER form.");
        }

        var bytes = der.ToArray();
        var kind = KeyStructures.Recognise(bytes);
        return kind is null
            ? Failure(ReadProblem.Damaged, "The data is neither a PEM file nor a DER private key.")
            : ReadStructure(kind.Value, bytes, passphrase, null);
    }

    private static ReadResult<PrivateKey> ReadStructure(KeyStructure kind, byte[] der, string? passphrase, byte[]? ecParameters)
    {
        switch (kind)
        {
            case KeyStructure.EncryptedPkcs8:
                if (string.IsNullOrEmpty(passphrase))
                {
                    return NeedsPassphrase();
                }

                var plain = EncryptedPkcs8.Decrypt(der, passphrase);
                if (!plain.IsSuccess)
                {
                    return plain.FailAs<PrivateKey>();
                }

                var key = Pkcs8Keys.Read(plain.Value);
                return key.Problem == ReadProblem.Damaged ? EncryptedPkcs8.WrongPassphrase().FailAs<PrivateKey>() : key;
            case KeyStructure.Pkcs8:
                return Pkcs8Keys.Read(der);
            case KeyStructure.Pkcs1:
                return FromTraditional(() => TraditionalKeys.Pkcs8FromPkcs1(der), "RSA private key");
            case KeyStructure.Sec1:
                return FromTraditional(() => TraditionalKeys.Pkcs8FromSec1(der, ecParameters), "EC private key");
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static ReadResult<PrivateKey> FromTraditional(Func<byte[]?> toPkcs8, string what)
    {
        byte[]? pkcs8;
        try
        {
            pkcs8 = toPkcs8();
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return Pkcs8Keys.Damaged(what);
        }

        return pkcs8 is null
            ? Failure(ReadProblem.Damaged, $"The {what} does not name its curve (and no EC PARAMETERS block precedes it).")
            : Pkcs8Keys.Read(pkcs8);
    }

    private static ReadResult<PrivateKey> NeedsPassphrase() =>
        Failure(ReadProblem.PassphraseRequired, "The private key is encrypted: enter its passphrase.");

    private static ReadResult<PrivateKey> Failure(ReadProblem problem, string message) => ReadResult<PrivateKey>.Failure(problem, message);
}

internal enum KeyStructure
{
    Pkcs8,
    EncryptedPkcs8,
    Pkcs1,
    Sec1,
}

internal static class KeyStructures
{
    /// <summary>Tells the four DER key structures apart by their first fields; null for anything else.</summary>
    public static KeyStructure? Recognise(byte[] der)
    {
        Asn1Sequence sequence;
        try
        {
            sequence = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der));
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return null;
        }

        if (sequence.Count < 2)
        {
            return null;
        }

        var first = sequence[0];
        var second = sequence[1];
        return (first, second) switch
        {
            (Asn1Sequence, Asn1OctetString) when sequence.Count == 2 => KeyStructure.EncryptedPkcs8,
            (DerInteger, Asn1Sequence) => KeyStructure.Pkcs8,
            (DerInteger version, DerInteger) when version.HasValue(0) && sequence.Count >= 9 => KeyStructure.Pkcs1,
            (DerInteger version, Asn1OctetString) when version.HasValue(1) => KeyStructure.Sec1,
            _ => null,
        };
    }
}
