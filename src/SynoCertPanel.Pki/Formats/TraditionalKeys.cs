using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Formats;

/// <summary>
/// The "traditional" key structures (PKCS#1 RSAPrivateKey, SEC1 ECPrivateKey) that openssl wrote before
/// PKCS#8 and that some appliances still want; converted to and from the PKCS#8 the engine holds.
/// </summary>
internal static class TraditionalKeys
{
    public static byte[] Pkcs8FromPkcs1(byte[] der)
    {
        var rsa = RsaPrivateKeyStructure.GetInstance(Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der)));
        return new PrivateKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance), rsa).GetDerEncoded();
    }

    /// <summary>Null when neither the key nor a separate EC PARAMETERS block names the curve.</summary>
    public static byte[]? Pkcs8FromSec1(byte[] der, byte[]? separateParameters)
    {
        var ec = ECPrivateKeyStructure.GetInstance(Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der)));
        var parameters = (Asn1Encodable?)ec.Parameters
            ?? (separateParameters is null ? null : X962Parameters.GetInstance(Asn1Object.FromByteArray(separateParameters)));
        return parameters is null
            ? null
            : new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, parameters), ec).GetDerEncoded();
    }

    public static byte[] Pkcs1From(PrivateKey key)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(key.Algorithm.IsRsa(), true, nameof(key));
        return PrivateKeyInfo.GetInstance(key.ExportPkcs8()).ParsePrivateKey().GetDerEncoded();
    }

    /// <summary>SEC1 with the named curve and the public key included, as `openssl ec` writes it.</summary>
    public static byte[] Sec1From(PrivateKey key)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(key.Algorithm.IsRsa(), true, nameof(key));
        var info = PrivateKeyInfo.GetInstance(key.ExportPkcs8());
        var inner = ECPrivateKeyStructure.GetInstance(info.ParsePrivateKey());
        var publicKey = SubjectPublicKeyInfo.GetInstance(key.SubjectPublicKeyInfo.ToArray()).PublicKey;
        var orderBits = key.Algorithm == KeyAlgorithm.EcdsaP384 ? 384 : 256;
        return new ECPrivateKeyStructure(orderBits, inner.GetKey(), publicKey, info.PrivateKeyAlgorithm.Parameters).GetDerEncoded();
    }
}
