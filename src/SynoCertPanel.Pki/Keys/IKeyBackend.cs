using Org.BouncyCastle.Crypto;

namespace SynoCertPanel.Pki.Keys;

/// <summary>
/// One crypto implementation (the platform's OpenSSL through .NET, or BouncyCastle) able to make keys
/// and signatures. <see cref="KeyBackends"/> picks one per key type, by measurement.
/// </summary>
internal interface IKeyBackend
{
    string Name { get; }

    PrivateKey Generate(KeyAlgorithm algorithm);

    ISignatureFactory CreateSignatureFactory(PrivateKey key);
}
