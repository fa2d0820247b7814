using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;

namespace SynoCertPanel.Pki.Keys;

/// <summary>.NET's crypto, which on Linux is the system OpenSSL: fastest for RSA and P-256.</summary>
internal sealed class DotNetKeyBackend : IKeyBackend
{
    public string Name => ".NET (OpenSSL)";

    public PrivateKey Generate(KeyAlgorithm algorithm)
    {
        // FromDotNet exports the key at once, which forces the lazy generation of RSA.Create(bits).
        AsymmetricAlgorithm key = algorithm switch
        {
            KeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            KeyAlgorithm.EcdsaP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            _ => RSA.Create(algorithm.RsaBits()),
        };
        return PrivateKey.FromDotNet(algorithm, key);
    }

    public ISignatureFactory CreateSignatureFactory(PrivateKey key) => new DotNetSignatureFactory(key);

    private sealed class DotNetSignatureFactory(PrivateKey key) : ISignatureFactory
    {
        public object AlgorithmDetails { get; } = SignatureAlgorithms.IdentifierFor(key.Algorithm);

        public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(key);
    }

    private sealed class Calculator(PrivateKey key) : IStreamCalculator<IBlockResult>, IDisposable
    {
        private readonly MemoryStream _buffer = new();

        public Stream Stream => _buffer;

        public IBlockResult GetResult()
        {
            // BouncyCastle closes the stream before asking for the result; ToArray still works then.
            var data = _buffer.ToArray();
            var hash = SignatureAlgorithms.HashFor(key.Algorithm);
            var signature = key.WithDotNetKey(k => k switch
            {
                RSA rsa => rsa.SignData(data, hash, RSASignaturePadding.Pkcs1),
                ECDsa ec => ec.SignData(data, hash, DSASignatureFormat.Rfc3279DerSequence),
                _ => throw new InvalidOperationException($"Unexpected key object {k.GetType().Name}."),
            });
            return new BlockResult(signature);
        }

        public void Dispose() => _buffer.Dispose();
    }

    private sealed class BlockResult(byte[] value) : IBlockResult
    {
        public byte[] Collect() => (byte[])value.Clone();

        public int Collect(byte[] buf, int off)
        {
            value.CopyTo(buf, off);
            return value.Length;
        }

        public int Collect(Span<byte> output)
        {
            value.CopyTo(output);
            return value.Length;
        }

        public int GetMaxResultLength() => value.Length;
    }
}
