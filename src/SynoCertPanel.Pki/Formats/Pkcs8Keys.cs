using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Formats;

/// <summary>
/// Turns plain PKCS#8 DER into a <see cref="PrivateKey"/>, telling a damaged key from a readable key of a
/// type the panel refuses, and checking that the key's parts agree with each other.
/// </summary>
internal static class Pkcs8Keys
{
    private static readonly Dictionary<string, string> RefusedTypes = new()
    {
        [EdECObjectIdentifiers.id_Ed25519.Id] = "Ed25519",
        [EdECObjectIdentifiers.id_Ed448.Id] = "Ed448",
        [EdECObjectIdentifiers.id_X25519.Id] = "X25519",
        [EdECObjectIdentifiers.id_X448.Id] = "X448",
        [X9ObjectIdentifiers.IdDsa.Id] = "DSA",
        [PkcsObjectIdentifiers.IdRsassaPss.Id] = "RSA-PSS",
        [PkcsObjectIdentifiers.DhKeyAgreement.Id] = "Diffie-Hellman",
    };

    public static ReadResult<PrivateKey> Read(byte[] der)
    {
        PrivateKeyInfo info;
        try
        {
            info = PrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(der));
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return Damaged();
        }

        var oid = info.PrivateKeyAlgorithm.Algorithm;
        if (!oid.Equals(PkcsObjectIdentifiers.RsaEncryption) && !oid.Equals(X9ObjectIdentifiers.IdECPublicKey))
        {
            var name = RefusedTypes.GetValueOrDefault(oid.Id, $"OID {oid.Id}");
            return ReadResult<PrivateKey>.Failure(ReadProblem.Unsupported,
                $"The private key is a {name} key; only RSA (2048–4096 bits) and ECDSA P-256/P-384 keys work for TLS in every browser.");
        }

        Org.BouncyCastle.Crypto.AsymmetricKeyParameter parameter;
        try
        {
            parameter = PrivateKeyFactory.CreateKey(info);
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return Damaged();
        }

        var identified = KeyTypes.Identify(parameter);
        if (!identified.IsSuccess)
        {
            return ReadResult<PrivateKey>.Failure(ReadProblem.Unsupported, identified.Error!);
        }

        var inconsistency = CheckConsistency(parameter);
        if (inconsistency is not null)
        {
            return ReadResult<PrivateKey>.Failure(ReadProblem.Damaged, inconsistency);
        }

        var key = PrivateKey.FromPkcs8(der);
        return key.IsSuccess ? ReadResult<PrivateKey>.Success(key.Value) : ReadResult<PrivateKey>.Failure(ReadProblem.Damaged, key.Error!);
    }

    /// <summary>A key whose parts disagree would sign with garbage; catch it at import, not at the first TLS handshake.</summary>
    private static string? CheckConsistency(Org.BouncyCastle.Crypto.AsymmetricKeyParameter parameter) => parameter switch
    {
        RsaPrivateCrtKeyParameters rsa when !rsa.P.Multiply(rsa.Q).Equals(rsa.Modulus) =>
            "The RSA private key is damaged (its primes do not multiply to its modulus).",
        RsaPrivateCrtKeyParameters => null,
        Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters =>
            "The RSA private key lacks its CRT parts (primes); the panel needs the full key as openssl writes it.",
        ECPrivateKeyParameters ec when ec.D.SignValue <= 0 || ec.D.CompareTo(ec.Parameters.N) >= 0 =>
            "The EC private key is damaged (its secret is outside the curve's range).",
        _ => null,
    };

    internal static ReadResult<PrivateKey> Damaged(string what = "private key") =>
        ReadResult<PrivateKey>.Failure(ReadProblem.Damaged, $"The {what} is damaged or is not a private key.");
}
