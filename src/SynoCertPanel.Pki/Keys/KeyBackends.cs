using Org.BouncyCastle.Crypto;

namespace SynoCertPanel.Pki.Keys;

/// <summary>
/// Which backend makes which key type and its signatures, chosen by measurement on the target machine
/// (2 cores, .NET 10.0.12, OpenSSL 3.0.19, BouncyCastle 2.7.0; medians from bench/RESULTS.md, preliminary
/// figures taken while the machine was busy):
/// <list type="table">
/// <listheader><term>key type</term><description>generation .NET / BC → choice; certificate signature .NET / BC → choice</description></listheader>
/// <item><term>RSA-2048</term><description>213 / 178 ms (a tie: RSA generation varies ±50 %) → .NET; 0.29 / 4.9 ms → .NET</description></item>
/// <item><term>RSA-3072</term><description>518 / 1111 ms → .NET; 1.9 / 16.6 ms → .NET</description></item>
/// <item><term>RSA-4096</term><description>1.05 / 3.08 s → .NET; 5.2 / 32 ms → .NET</description></item>
/// <item><term>P-256</term><description>0.10 / 0.22 ms → .NET; 0.025 / 0.114 ms → .NET</description></item>
/// <item><term>P-384</term><description>2.47 / 0.58 ms → BouncyCastle; 0.84 / 0.43 ms → BouncyCastle</description></item>
/// </list>
/// OpenSSL 3.0 has assembly for RSA and P-256 but only generic code for P-384, where BouncyCastle's
/// managed arithmetic wins. RSA-2048 generation stays on .NET although its median was not lower: the key
/// is then signed with on .NET (17× faster) without re-importing it, the tail was shorter in every run, and
/// it allocates 2 KB instead of 0.3–1.6 MB.
/// </summary>
internal static class KeyBackends
{
    public static readonly IKeyBackend DotNet = new DotNetKeyBackend();
    public static readonly IKeyBackend BouncyCastle = new BouncyCastleKeyBackend();

    public static IKeyBackend ForGeneration(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP384 => BouncyCastle,
        _ => DotNet,
    };

    public static IKeyBackend ForSigning(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP384 => BouncyCastle,
        _ => DotNet,
    };

    public static ISignatureFactory SignatureFactoryFor(PrivateKey key) =>
        ForSigning(key.Algorithm).CreateSignatureFactory(key);
}

/// <summary>Makes new private keys with the fastest backend for each type.</summary>
public static class KeyGenerator
{
    public static PrivateKey Generate(KeyAlgorithm algorithm) =>
        KeyBackends.ForGeneration(algorithm).Generate(algorithm);
}
