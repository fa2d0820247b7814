using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
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

    /// <summary>
    /// An EC key whose curve is spelled out as parameters instead of named by OID. RFC 5480 §2.1.1 requires the
    /// name in certificates; browsers and openssl -x509_strict refuse it even when the values are P-256's.
    /// </summary>
    public bool HasExplicitCurveParameters { get; init; }

    public override string ToString() => Family switch
    {
        PublicKeyFamily.Rsa => $"RSA {Bits}",
        PublicKeyFamily.Ecdsa => $"ECDSA {Curve ?? $"{Bits}-bit curve"}{(HasExplicitCurveParameters ? " (explicit curve parameters)" : string.Empty)}",
        _ => Curve ?? "unknown key type",
    };

    private static readonly Dictionary<string, string> OtherKeyTypes = new()
    {
        ["1.3.101.112"] = "Ed25519",
        ["1.3.101.113"] = "Ed448",
        ["1.2.840.10040.4.1"] = "DSA",
        ["1.2.840.113549.1.1.10"] = "RSA-PSS",
    };

    /// <summary>
    /// Reads the key type and size from the encoded SubjectPublicKeyInfo without building a key object
    /// (BouncyCastle's RSA key object costs Miller–Rabin rounds on every construction).
    /// </summary>
    internal static PublicKeyDescription From(SubjectPublicKeyInfo info)
    {
        var algorithm = info.Algorithm.Algorithm;
        if (PkcsObjectIdentifiers.RsaEncryption.Equals(algorithm))
        {
            var bits = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey()).Modulus.BitLength;
            KeyAlgorithm? known = bits switch
            {
                2048 => KeyAlgorithm.Rsa2048,
                3072 => KeyAlgorithm.Rsa3072,
                4096 => KeyAlgorithm.Rsa4096,
                _ => null,
            };
            return new(PublicKeyFamily.Rsa, bits, null, known);
        }

        if (X9ObjectIdentifiers.IdECPublicKey.Equals(algorithm))
        {
            var parameters = X962Parameters.GetInstance(info.Algorithm.Parameters);
            var oid = parameters.IsNamedCurve ? DerObjectIdentifier.GetInstance(parameters.Parameters) : KeyTypes.CurveOf(X9ECParameters.GetInstance(parameters.Parameters));
            var explicitParameters = !parameters.IsNamedCurve;
            if (KeyTypes.P256.Equals(oid))
            {
                return new(PublicKeyFamily.Ecdsa, 256, "P-256", KeyAlgorithm.EcdsaP256) { HasExplicitCurveParameters = explicitParameters };
            }

            if (KeyTypes.P384.Equals(oid))
            {
                return new(PublicKeyFamily.Ecdsa, 384, "P-384", KeyAlgorithm.EcdsaP384) { HasExplicitCurveParameters = explicitParameters };
            }

            var curve = oid is null ? null : ECNamedCurveTable.GetByOid(oid);
            var name = oid is null ? null : ECNamedCurveTable.GetName(oid) ?? oid.Id;
            return new(PublicKeyFamily.Ecdsa, curve?.Curve.FieldSize ?? 0, name is null ? null : $"curve {name}", null)
            {
                HasExplicitCurveParameters = explicitParameters,
            };
        }

        return new(PublicKeyFamily.Other, 0, OtherKeyTypes.GetValueOrDefault(algorithm.Id, $"key type {algorithm.Id}"), null);
    }
}
