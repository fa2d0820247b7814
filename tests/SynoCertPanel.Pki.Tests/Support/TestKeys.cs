using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace SynoCertPanel.Pki.Tests.Support;

/// <summary>A raw BouncyCastle key pair for hand-built certificates, with the signature it makes by default.</summary>
public sealed record TestKey(AsymmetricCipherKeyPair Pair, string SignatureAlgorithm, string Sha1SignatureAlgorithm);

/// <summary>Key pairs made once per run: RSA generation is slow, and no test cares which key it gets.</summary>
public static class TestKeys
{
    private static readonly SecureRandom Random = new();
    private static readonly Lazy<TestKey> SharedRootP256 = new(() => Ec());
    private static readonly Lazy<TestKey> SharedIntermediateP256 = new(() => Ec());
    private static readonly Lazy<TestKey> SharedLeafP256 = new(() => Ec());
    private static readonly Lazy<TestKey> SharedRsa2048 = new(() => Rsa(2048));
    private static readonly Lazy<TestKey> SharedRsa1024 = new(() => Rsa(1024));
    private static readonly Lazy<TestKey> SharedExplicitP256 = new(() =>
    {
        // The curve's values written out instead of its OID: what `openssl ecparam -param_enc explicit` makes.
        var named = ECNamedCurveTable.GetByOid(SecObjectIdentifiers.SecP256r1);
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(new ECDomainParameters(named.Curve, named.G, named.N, named.H, named.GetSeed()), Random));
        return new TestKey(generator.GenerateKeyPair(), "SHA256WITHECDSA", "SHA1WITHECDSA");
    });

    private static readonly Lazy<TestKey> SharedEd25519 = new(() =>
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(Random));
        return new TestKey(generator.GenerateKeyPair(), "Ed25519", "Ed25519");
    });

    public static TestKey RootP256 => SharedRootP256.Value;

    public static TestKey IntermediateP256 => SharedIntermediateP256.Value;

    public static TestKey LeafP256 => SharedLeafP256.Value;

    public static TestKey Rsa2048 => SharedRsa2048.Value;

    /// <summary>Too weak for Apple and OpenSSL at security level 2.</summary>
    public static TestKey Rsa1024 => SharedRsa1024.Value;

    /// <summary>P-256 given as explicit curve parameters, not the curve's name (RFC 5480 forbids it in certificates).</summary>
    public static TestKey ExplicitP256 => SharedExplicitP256.Value;

    /// <summary>A key type browsers do not accept in certificates.</summary>
    public static TestKey Ed25519 => SharedEd25519.Value;

    private static TestKey Ec()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, Random));
        return new TestKey(generator.GenerateKeyPair(), "SHA256WITHECDSA", "SHA1WITHECDSA");
    }

    private static TestKey Rsa(int bits)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), Random, bits, 80));
        return new TestKey(generator.GenerateKeyPair(), "SHA256WITHRSA", "SHA1WITHRSA");
    }
}
