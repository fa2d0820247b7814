using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace SynoCertPanel.Pki.Keys;

/// <summary>
/// The signature each key type makes: SHA-256 for RSA and P-256, SHA-384 for P-384 (matching the
/// curve's strength, as browsers' own CAs do). SHA-1 is never used: Chrome removed it in version 56.
/// </summary>
internal static class SignatureAlgorithms
{
    public static HashAlgorithmName HashFor(KeyAlgorithm algorithm) =>
        algorithm == KeyAlgorithm.EcdsaP384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    public static string BouncyCastleName(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => "SHA256WITHECDSA",
        KeyAlgorithm.EcdsaP384 => "SHA384WITHECDSA",
        _ => "SHA256WITHRSA",
    };

    public static AlgorithmIdentifier IdentifierFor(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256),
        KeyAlgorithm.EcdsaP384 => new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha384),
        _ => new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance),
    };
}
