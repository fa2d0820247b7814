using BenchmarkDotNet.Attributes;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Bench;

/// <summary>A new RSA-2048 or RSA-3072 key on each backend; one key per iteration (see <see cref="RsaGenerationConfig"/>).</summary>
[Config(typeof(RsaGenerationConfig))]
[MemoryDiagnoser]
public class RsaKeyGenerationBenchmarks
{
    [Params(KeyAlgorithm.Rsa2048, KeyAlgorithm.Rsa3072)]
    public KeyAlgorithm Algorithm { get; set; }

    [Params(Backend.DotNet, Backend.BouncyCastle)]
    public Backend Backend { get; set; }

    [Benchmark]
    public PrivateKey Generate() => Fixtures.Resolve(Backend).Generate(Algorithm);
}

/// <summary>A new RSA-4096 key on each backend: seconds per key, so fewer iterations.</summary>
[Config(typeof(Rsa4096GenerationConfig))]
[MemoryDiagnoser]
public class Rsa4096KeyGenerationBenchmarks
{
    [Params(KeyAlgorithm.Rsa4096)]
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
