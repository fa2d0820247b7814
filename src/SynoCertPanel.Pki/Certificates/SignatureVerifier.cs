using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Security;

namespace SynoCertPanel.Pki.Certificates;

/// <summary>
/// Verifies X.509 and PKCS#10 signatures. RSA (PKCS#1 v1.5) and ECDSA go through .NET (OpenSSL): BouncyCastle
/// re-checks an RSA modulus with Miller–Rabin rounds every time it builds a public key (~15 ms for
/// RSA-2048, bench/RESULTS.md), which made each parse of an RSA certificate or CSR cost that much.
/// Anything else (RSA-PSS, Ed25519) falls back to BouncyCastle.
/// </summary>
internal static class SignatureVerifier
{
    private static readonly Dictionary<string, (bool Rsa, HashAlgorithmName Hash)> DotNetAlgorithms = new()
    {
        ["1.2.840.113549.1.1.5"] = (true, HashAlgorithmName.SHA1),
        ["1.2.840.113549.1.1.11"] = (true, HashAlgorithmName.SHA256),
        ["1.2.840.113549.1.1.12"] = (true, HashAlgorithmName.SHA384),
        ["1.2.840.113549.1.1.13"] = (true, HashAlgorithmName.SHA512),
        ["1.2.840.10045.4.1"] = (false, HashAlgorithmName.SHA1),
        ["1.2.840.10045.4.3.2"] = (false, HashAlgorithmName.SHA256),
        ["1.2.840.10045.4.3.3"] = (false, HashAlgorithmName.SHA384),
        ["1.2.840.10045.4.3.4"] = (false, HashAlgorithmName.SHA512),
    };

    /// <summary>True when <paramref name="signature"/> over <paramref name="signed"/> verifies with the key; false on any mismatch or unreadable key.</summary>
    public static bool Verify(AlgorithmIdentifier algorithm, ReadOnlySpan<byte> subjectPublicKeyInfo, byte[] signed, byte[] signature) =>
        Verify(algorithm.Algorithm.Id, subjectPublicKeyInfo, signed, signature);

    /// <inheritdoc cref="Verify(AlgorithmIdentifier, ReadOnlySpan{byte}, byte[], byte[])"/>
    public static bool Verify(string algorithmOid, ReadOnlySpan<byte> subjectPublicKeyInfo, byte[] signed, byte[] signature)
    {
        if (!DotNetAlgorithms.TryGetValue(algorithmOid, out var known))
        {
            return VerifyWithBouncyCastle(algorithmOid, subjectPublicKeyInfo.ToArray(), signed, signature);
        }

        try
        {
            return VerifyWithDotNet(known.Rsa, known.Hash, subjectPublicKeyInfo, signed, signature);
        }
        catch (Exception e) when (e is CryptographicException || ParseErrors.IsParseError(e))
        {
            return false;
        }
    }

    /// <summary>Kept out of <see cref="Verify(string, ReadOnlySpan{byte}, byte[], byte[])"/> so that the common algorithms never load BouncyCastle.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool VerifyWithBouncyCastle(string algorithmOid, byte[] subjectPublicKeyInfo, byte[] signed, byte[] signature)
    {
        try
        {
            var key = PublicKeyFactory.CreateKey(subjectPublicKeyInfo);
            var verifier = SignerUtilities.GetSigner(new DerObjectIdentifier(algorithmOid));
            verifier.Init(false, key);
            verifier.BlockUpdate(signed, 0, signed.Length);
            return verifier.VerifySignature(signature);
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return false;
        }
    }

    private static bool VerifyWithDotNet(bool rsa, HashAlgorithmName hash, ReadOnlySpan<byte> subjectPublicKeyInfo, byte[] signed, byte[] signature)
    {
        if (rsa)
        {
            using var key = RSA.Create();
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            return key.VerifyData(signed, signature, hash, RSASignaturePadding.Pkcs1);
        }

        using var ec = ECDsa.Create();
        ec.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        return ec.VerifyData(signed, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }
}
