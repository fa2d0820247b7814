using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Misc;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Pkcs;

namespace SynoCertPanel.Pki.Formats;

/// <summary>
/// Decrypts an EncryptedPrivateKeyInfo (RFC 5958): PBES2 with PBKDF2 and AES or 3DES (openssl's default
/// since 1.1), and PKCS#12 PBE with SHA-1 and 3DES (`openssl pkcs8 -v1 PBE-SHA1-3DES`, older Windows
/// exports). Iteration counts are checked before any derivation, so a hostile file cannot stall the panel.
/// </summary>
internal static class EncryptedPkcs8
{
    private static readonly Dictionary<string, KeyCipher> Pbes2Ciphers = new()
    {
        [NistObjectIdentifiers.IdAes128Cbc.Id] = KeyCipher.Aes128Cbc,
        [NistObjectIdentifiers.IdAes192Cbc.Id] = KeyCipher.Aes192Cbc,
        [NistObjectIdentifiers.IdAes256Cbc.Id] = KeyCipher.Aes256Cbc,
        [PkcsObjectIdentifiers.DesEde3Cbc.Id] = KeyCipher.DesEde3Cbc,
    };

    private static readonly Dictionary<string, HashAlgorithmName> Pbkdf2Hashes = new()
    {
        [PkcsObjectIdentifiers.IdHmacWithSha1.Id] = HashAlgorithmName.SHA1,
        [PkcsObjectIdentifiers.IdHmacWithSha256.Id] = HashAlgorithmName.SHA256,
        [PkcsObjectIdentifiers.IdHmacWithSha384.Id] = HashAlgorithmName.SHA384,
        [PkcsObjectIdentifiers.IdHmacWithSha512.Id] = HashAlgorithmName.SHA512,
    };

    /// <summary>Decrypts to the inner PKCS#8 PrivateKeyInfo DER, or says why not.</summary>
    public static ReadResult<byte[]> Decrypt(byte[] der, string passphrase)
    {
        EncryptedPrivateKeyInfo info;
        try
        {
            info = EncryptedPrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(der));
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return Fail(ReadProblem.Damaged, "The encrypted private key is damaged (its structure cannot be read).");
        }

        var scheme = info.EncryptionAlgorithm.Algorithm;
        try
        {
            if (scheme.Equals(PkcsObjectIdentifiers.IdPbeS2))
            {
                return DecryptPbes2(PbeS2Parameters.GetInstance(info.EncryptionAlgorithm.Parameters), info.GetEncryptedData(), passphrase);
            }

            if (scheme.Equals(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc) || scheme.Equals(PkcsObjectIdentifiers.PbeWithShaAnd2KeyTripleDesCbc))
            {
                return DecryptPkcs12Pbe(info, passphrase);
            }
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return Fail(ReadProblem.Damaged, "The encrypted private key's encryption parameters are damaged.");
        }

        return Fail(ReadProblem.Unsupported,
            $"The private key is encrypted with a scheme the panel does not read ({Describe(scheme)}). Re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`.");
    }

    private static ReadResult<byte[]> DecryptPbes2(PbeS2Parameters pbes2, byte[] encrypted, string passphrase)
    {
        var kdf = pbes2.KeyDerivationFunc;
        if (!kdf.Algorithm.Equals(PkcsObjectIdentifiers.IdPbkdf2))
        {
            return Fail(ReadProblem.Unsupported,
                $"The private key's passphrase is stretched with {Describe(kdf.Algorithm)}; the panel reads PBKDF2 only. Re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`.");
        }

        var parameters = Pbkdf2Params.GetInstance(kdf.Parameters);
        var iterations = CheckIterations(parameters.IterationCount);
        if (!iterations.IsSuccess)
        {
            return iterations.FailAs<byte[]>();
        }

        var prf = parameters.Prf.Algorithm.Id;
        if (!Pbkdf2Hashes.TryGetValue(prf, out var hash))
        {
            return Fail(ReadProblem.Unsupported, $"The private key's PBKDF2 uses an unsupported hash ({Describe(parameters.Prf.Algorithm)}).");
        }

        var encryption = pbes2.EncryptionScheme;
        if (!Pbes2Ciphers.TryGetValue(encryption.Algorithm.Id, out var cipher))
        {
            return Fail(ReadProblem.Unsupported,
                $"The private key is encrypted with {Describe(encryption.Algorithm)}; the panel reads AES-CBC and 3DES-CBC.");
        }

        if (parameters.KeyLength is { } length && length.IntValue != cipher.KeySize())
        {
            return Fail(ReadProblem.Damaged, "The encrypted private key's parameters contradict each other (key length and cipher).");
        }

        var iv = Asn1OctetString.GetInstance(encryption.Parameters).GetOctets();
        var key = Rfc2898DeriveBytes.Pbkdf2(KeyDecryption.PassphraseBytes(passphrase), parameters.GetSalt(), iterations.Value, hash, cipher.KeySize());
        var plain = KeyDecryption.DecryptCbc(cipher, key, iv, encrypted);
        return plain is null ? WrongPassphrase() : ReadResult<byte[]>.Success(plain);
    }

    private static ReadResult<byte[]> DecryptPkcs12Pbe(EncryptedPrivateKeyInfo info, string passphrase)
    {
        var parameters = Pkcs12PbeParams.GetInstance(info.EncryptionAlgorithm.Parameters);
        var iterations = CheckIterations(parameters.Iterations);
        if (!iterations.IsSuccess)
        {
            return iterations.FailAs<byte[]>();
        }

        try
        {
            return ReadResult<byte[]>.Success(PrivateKeyInfoFactory.CreatePrivateKeyInfo(passphrase.ToCharArray(), info).GetDerEncoded());
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            // A wrong passphrase shows as bad padding or as garbage that is not a PrivateKeyInfo.
            return WrongPassphrase();
        }
    }

    internal static ReadResult<int> CheckIterations(Org.BouncyCastle.Math.BigInteger count)
    {
        if (count.SignValue <= 0)
        {
            return ReadResult<int>.Failure(ReadProblem.Damaged, "The encrypted private key's iteration count is not positive.");
        }

        if (count.BitLength > 31 || count.IntValue > PrivateKeyReader.MaxIterations)
        {
            return ReadResult<int>.Failure(ReadProblem.LimitExceeded,
                $"The encrypted private key asks for {Display.Literal(count.ToString(), 24)} iterations; the panel refuses more than {PrivateKeyReader.MaxIterations:N0} (decrypting would take minutes).");
        }

        return ReadResult<int>.Success(count.IntValue);
    }

    internal static ReadResult<byte[]> WrongPassphrase() =>
        Fail(ReadProblem.WrongPassphrase, "The passphrase does not decrypt the private key (wrong passphrase, or the file is damaged).");

    private static ReadResult<byte[]> Fail(ReadProblem problem, string message) => ReadResult<byte[]>.Failure(problem, message);

    private static string Describe(DerObjectIdentifier oid) =>
        oid.Equals(MiscObjectIdentifiers.id_scrypt) ? "scrypt" : $"OID {oid.Id}";
}
