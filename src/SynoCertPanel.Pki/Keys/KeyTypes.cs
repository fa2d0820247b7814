using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.X509;

namespace SynoCertPanel.Pki.Keys;

/// <summary>Maps BouncyCastle key parameters onto the panel's key types and back.</summary>
internal static class KeyTypes
{
    public static readonly DerObjectIdentifier P256 = SecObjectIdentifiers.SecP256r1;
    public static readonly DerObjectIdentifier P384 = SecObjectIdentifiers.SecP384r1;

    public static Result<KeyAlgorithm> Identify(AsymmetricKeyParameter key) => key switch
    {
        RsaKeyParameters rsa => rsa.Modulus.BitLength switch
        {
            2048 => Result.Success(KeyAlgorithm.Rsa2048),
            3072 => Result.Success(KeyAlgorithm.Rsa3072),
            4096 => Result.Success(KeyAlgorithm.Rsa4096),
            var bits when bits < 2048 => Result.Failure<KeyAlgorithm>(
                $"RSA keys of {bits} bits are too weak: browsers and Apple devices require at least 2048 bits."),
            var bits => Result.Failure<KeyAlgorithm>(
                $"RSA keys of {bits} bits are not supported: use 2048, 3072 or 4096 bits."),
        },
        ECKeyParameters ec => CurveOf(ec) switch
        {
            var oid when P256.Equals(oid) => Result.Success(KeyAlgorithm.EcdsaP256),
            var oid when P384.Equals(oid) => Result.Success(KeyAlgorithm.EcdsaP384),
            _ => Result.Failure<KeyAlgorithm>("Only the elliptic curves P-256 and P-384 are accepted by every browser."),
        },
        _ => Result.Failure<KeyAlgorithm>(
            "Only RSA and ECDSA (P-256, P-384) keys are supported; Ed25519 and DSA keys are not accepted by browsers for TLS."),
    };

    public static DerObjectIdentifier? CurveOf(ECKeyParameters key)
    {
        if (key.PublicKeyParamSet is not null)
        {
            return key.PublicKeyParamSet;
        }

        return CurveOf(key.Parameters.Curve, key.Parameters.G);
    }

    public static DerObjectIdentifier? CurveOf(X9ECParameters parameters) => CurveOf(parameters.Curve, parameters.G);

    /// <summary>Keys written with explicit curve parameters: recognise the two curves by their values.</summary>
    private static DerObjectIdentifier? CurveOf(Org.BouncyCastle.Math.EC.ECCurve curve, Org.BouncyCastle.Math.EC.ECPoint generator)
    {
        foreach (var oid in new[] { P256, P384 })
        {
            var named = ECNamedCurveTable.GetByOid(oid);
            if (named.Curve.Equals(curve) && named.G.Equals(generator))
            {
                return oid;
            }
        }

        return null;
    }

    public static SubjectPublicKeyInfo? PublicKeyInfoFor(AsymmetricKeyParameter privateKey)
    {
        switch (privateKey)
        {
            case RsaPrivateCrtKeyParameters rsa:
                return SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(
                    new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent));
            case ECPrivateKeyParameters ec:
                var q = new FixedPointCombMultiplier().Multiply(ec.Parameters.G, ec.D).Normalize();
                var oid = CurveOf(ec);
                ECPublicKeyParameters pub = oid is null
                    ? new ECPublicKeyParameters(ec.AlgorithmName, q, ec.Parameters)
                    : new ECPublicKeyParameters(ec.AlgorithmName, q, oid);
                return SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pub);
            default:
                return null;
        }
    }
}
