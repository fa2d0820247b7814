using BenchmarkDotNet.Attributes;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Bench;

/// <summary>A new key of each RSA size on each backend; one key per iteration (see <see cref="RsaGenerationConfig"/>).</summary>
[Config(typeof(RsaGenerationConfig))]
[MemoryDiagnoser]
public class RsaKeyGenerationBenchmarks
{
    [Params(KeyAlgorithm.Rsa2048, KeyAlgorithm.Rsa3072, KeyAlgorithm.Rsa4096)]
    public KeyAlgorithm Algorithm { get; set; }

    [Params(Backend.DotNet, Backend.BouncyCastle)]
    public Backend Backend { get; set; }

    [Benchmark]
    public PrivateKey Generate() => Fixtures.Resolve(Backend).Generate(Algorithm);
}

/// <summary>A new ECDSA key on each backend.</summary>
[Config(typeof(FastOperationConfig))]
[MemoryDiagnoser]
public class EcKeyGenerationBenchmarks
{
    [Params(KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384)]
    public KeyAlgorithm Algorithm { get; set; }

    [Params(Backend.DotNet, Backend.BouncyCastle)]
    public Backend Backend { get; set; }

    [Benchmark]
    public PrivateKey Generate() => Fixtures.Resolve(Backend).Generate(Algorithm);
}
