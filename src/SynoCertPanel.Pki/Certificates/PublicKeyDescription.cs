using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Certificates;

public enum PublicKeyFamily
{
    Rsa,
    Ecdsa,
    Other,
}

/// <summary>A certificate's or CSR's public key as a person reads it: "RSA 2048", "ECDSA P-256".</summary>
public sealed record PublicKeyDescription(PublicKeyFamily Family, int Bits, string? Curve, KeyAlgorithm? Algorithm)
{
    /// <summary>True for the key types every browser accepts: RSA ≥ 2048, ECDSA P-256 or P-384.</summary>
    public bool IsStrongEnough => Family switch
    {
        PublicKeyFamily.Rsa => Bits >= 2048,
        PublicKeyFamily.Ecdsa => Curve is "P-256" or "P-384",
        _ => false,
    };

    public override string ToString() => Family switch
    {
        PublicKeyFamily.Rsa => $"RSA {Bits}",
        PublicKeyFamily.Ecdsa => $"ECDSA {Curve ?? $"{Bits}-bit curve"}",
        _ => Curve ?? "unknown key type",
    };

    internal static PublicKeyDescription From(AsymmetricKeyParameter key)
    {
        switch (key)
        {
            case RsaKeyParameters rsa:
                var bits = rsa.Modulus.BitLength;
                KeyAlgorithm? algorithm = bits switch
                {
                    2048 => KeyAlgorithm.Rsa2048,
                    3072 => KeyAlgorithm.Rsa3072,
                    4096 => KeyAlgorithm.Rsa4096,
                    _ => null,
                };
                return new(PublicKeyFamily.Rsa, bits, null, algorithm);
            case ECKeyParameters ec:
                var oid = KeyTypes.CurveOf(ec);
                var fieldSize = ec.Parameters.Curve.FieldSize;
                if (KeyTypes.P256.Equals(oid))
                {
                    return new(PublicKeyFamily.Ecdsa, 256, "P-256", KeyAlgorithm.EcdsaP256);
                }

                if (KeyTypes.P384.Equals(oid))
                {
                    return new(PublicKeyFamily.Ecdsa, 384, "P-384", KeyAlgorithm.EcdsaP384);
                }

                return new(PublicKeyFamily.Ecdsa, fieldSize, oid is null ? null : $"curve {oid.Id}", null);
            default:
                return new(PublicKeyFamily.Other, 0, key.GetType().Name.Replace("PublicKeyParameters", "", StringComparison.Ordinal), null);
        }
    }
}
