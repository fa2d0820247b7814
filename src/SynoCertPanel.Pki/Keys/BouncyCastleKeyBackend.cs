using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace SynoCertPanel.Pki.Keys;

/// <summary>BouncyCastle's managed crypto: faster than OpenSSL 3.0 through .NET for P-384 keys and signatures.</summary>
internal sealed class BouncyCastleKeyBackend : IKeyBackend
{
    private static readonly SecureRandom Random = new();

    public string Name => "BouncyCastle";

    public PrivateKey Generate(KeyAlgorithm algorithm)
    {
        IAsymmetricCipherKeyPairGenerator generator;
        if (algorithm.IsRsa())
        {
            generator = new RsaKeyPairGenerator();
            generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), Random, algorithm.RsaBits(), 100));
        }
        else
        {
            generator = new ECKeyPairGenerator();
            var curve = algorithm == KeyAlgorithm.EcdsaP384 ? KeyTypes.P384 : KeyTypes.P256;
            generator.Init(new ECKeyGenerationParameters(curve, Random));
        }

        return PrivateKey.FromBouncyCastle(algorithm, generator.GenerateKeyPair());
    }

    public ISignatureFactory CreateSignatureFactory(PrivateKey key) =>
        new Asn1SignatureFactory(SignatureAlgorithms.BouncyCastleName(key.Algorithm), key.BouncyCastleKey, Random);
}
