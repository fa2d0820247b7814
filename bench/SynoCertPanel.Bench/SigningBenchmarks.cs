using BenchmarkDotNet.Attributes;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Bench;

/// <summary>
/// One certificate signature: the signature factory the issuer makes per certificate, then the signature
/// over a real server certificate's TBSCertificate. Hashing and padding are included, encoding is not.
/// </summary>
[Config(typeof(FastOperationConfig))]
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private PrivateKey _key = null!;
    private byte[] _toBeSigned = null!;

    [Params(KeyAlgorithm.Rsa2048, KeyAlgorithm.Rsa3072, KeyAlgorithm.Rsa4096, KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384)]
    public KeyAlgorithm Algorithm { get; set; }

    [Params(Backend.DotNet, Backend.BouncyCastle)]
    public Backend Backend { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ca = Fixtures.CreateCa(Algorithm);
        _key = ca.Key;
        var leaf = Fixtures.Issuer.IssueLeaf(ca, new LeafOptions
        {
            SubjectAlternativeNames = Fixtures.ServerNames,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }).Value;
        _toBeSigned = leaf.Certificate.Parsed.CertificateStructure.TbsCertificate.GetDerEncoded();
        // The first signature builds the backend's key object from PKCS#8; the issuer keeps it, so do it before timing.
        Sign();
    }

    [Benchmark]
    public byte[] Sign()
    {
        var calculator = Fixtures.Resolve(Backend).CreateSignatureFactory(_key).CreateCalculator();
        using (var stream = calculator.Stream)
        {
            stream.Write(_toBeSigned);
        }

        return calculator.GetResult().Collect();
    }
}
