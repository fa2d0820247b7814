using Org.BouncyCastle.Crypto;

namespace SynoCertPanel.Pki.Keys;

/// <summary>
/// Which backend makes which key type and its signatures. Chosen by measurement on the target machine
/// (bench/RESULTS.md): OpenSSL through .NET is ~3x faster at RSA-4096 generation and ~10x at RSA
/// signing; BouncyCastle generates P-384 keys faster.
/// </summary>
internal static class KeyBackends
{
    public static readonly IKeyBackend DotNet = new DotNetKeyBackend();
    public static readonly IKeyBackend BouncyCastle = new BouncyCastleKeyBackend();

    public static IKeyBackend ForGeneration(KeyAlgorithm algorithm) =>
        algorithm == KeyAlgorithm.EcdsaP384 ? BouncyCastle : DotNet;

    public static IKeyBackend ForSigning(KeyAlgorithm algorithm) => DotNet;

    public static ISignatureFactory SignatureFactoryFor(PrivateKey key) =>
        ForSigning(key.Algorithm).CreateSignatureFactory(key);
}

/// <summary>Makes new private keys with the fastest backend for each type.</summary>
public static class KeyGenerator
{
    public static PrivateKey Generate(KeyAlgorithm algorithm) =>
        KeyBackends.ForGeneration(algorithm).Generate(algorithm);
}
