using BenchmarkDotNet.Attributes;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Bench;

/// <summary>
/// Issuing a server certificate (three names) for a key that already exists, RSA-2048 or P-256, from an
/// RSA-2048 and from a P-256 root; signing goes through <see cref="KeyBackends.ForSigning"/>. Target: median ≤ 1 ms.
/// </summary>
[Config(typeof(FastOperationConfig))]
[MemoryDiagnoser]
public class IssueServerCertificateBenchmarks
{
    private CertificateAuthority _ca = null!;
    private LeafOptions _options = null!;

    [Params(KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256)]
    public KeyAlgorithm CaAlgorithm { get; set; }

    [Params(KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256)]
    public KeyAlgorithm LeafAlgorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ca = Fixtures.CreateCa(CaAlgorithm);
        _options = new LeafOptions
        {
            SubjectAlternativeNames = Fixtures.ServerNames,
            ExistingKey = KeyGenerator.Generate(LeafAlgorithm),
        };
    }

    [Benchmark]
    public IssuedCertificate IssueLeaf() => Fixtures.Issuer.IssueLeaf(_ca, _options).Value;
}

/// <summary>
/// Signing a parsed CSR (a P-256 or an RSA-2048 request) with an RSA-2048 and a P-256 root. Target: ≥ 1000
/// per second (the Op/s column).
/// </summary>
[Config(typeof(FastOperationConfig))]
[MemoryDiagnoser]
public class SignRequestBenchmarks
{
    private static readonly SignRequestOptions Options = new();
    private CertificateAuthority _ca = null!;
    private CertificateSigningRequest _request = null!;

    [Params(KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256)]
    public KeyAlgorithm CaAlgorithm { get; set; }

    [Params(KeyAlgorithm.EcdsaP256, KeyAlgorithm.Rsa2048)]
    public KeyAlgorithm RequestAlgorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ca = Fixtures.CreateCa(CaAlgorithm);
        _request = Fixtures.CreateRequest(RequestAlgorithm);
    }

    [Benchmark]
    public IssuedCertificate SignRequest() => Fixtures.Issuer.SignRequest(_ca, _request, Options).Value;
}

/// <summary>Reading a CSR from DER: parse, check DER, verify its signature, read its extensions.</summary>
[Config(typeof(FastOperationConfig))]
[MemoryDiagnoser]
public class ParseRequestBenchmarks
{
    private byte[] _der = null!;

    [Params(KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384)]
    public KeyAlgorithm RequestAlgorithm { get; set; }

    [GlobalSetup]
    public void Setup() => _der = Fixtures.CreateRequest(RequestAlgorithm).ToDer();

    [Benchmark]
    public CertificateSigningRequest ParseAndVerify() => CertificateSigningRequest.FromDer(_der).Value;
}
