using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Formats.Containers;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Issuance;

/// <summary>
/// EC keys whose curve is spelled out as parameters (`openssl ecparam -param_enc explicit`) instead of named:
/// RFC 5480 forbids them in certificates, so requests and certificates carrying one are refused with that reason.
/// </summary>
public sealed class ExplicitCurveTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public ExplicitCurveTests()
    {
        Run("ecparam", "-name", "prime256v1", "-param_enc", "explicit", "-genkey", "-noout", "-out", _dir.File("explicit.key"));
        Run("req", "-new", "-key", _dir.File("explicit.key"), "-subj", "/CN=nas.home.arpa", "-addext", "subjectAltName=DNS:nas.home.arpa",
            "-out", _dir.File("explicit.csr"));
        Run("req", "-x509", "-key", _dir.File("explicit.key"), "-subj", "/CN=nas.home.arpa", "-days", "30",
            "-addext", "subjectAltName=DNS:nas.home.arpa", "-addext", "extendedKeyUsage=serverAuth", "-out", _dir.File("explicit.pem"));
    }

    public void Dispose() => _dir.Dispose();

    private static Outcome Run(params string[] arguments)
    {
        var outcome = OpenSsl.Run(arguments);
        Assert.True(outcome.ExitCode == 0, outcome.All);
        return outcome;
    }

    [Fact]
    public void SignRequest_RequestWithExplicitCurveParameters_RefusedSayingSo()
    {
        var request = SigningRequestReader.Read(File.ReadAllBytes(_dir.File("explicit.csr")));
        Assert.True(request.IsSuccess, request.Error);

        var issued = new CertificateIssuer().SignRequest(TestPki.Root, request.Value, new SignRequestOptions());

        Assert.True(request.Value.PublicKey.HasExplicitCurveParameters);
        Assert.False(issued.IsSuccess);
        Assert.Contains("explicit parameters instead of naming it", issued.Error, StringComparison.Ordinal);
        Assert.Contains("-param_enc explicit", issued.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BundleReader_CertificateWithExplicitCurveParameters_RefusedSayingSoNotAsKeyMismatch()
    {
        var bundle = BundleReader.Read([Upload("explicit.pem"), Upload("explicit.key")]);

        Assert.False(bundle.IsSuccess);
        Assert.Equal(ReadProblem.Unsupported, bundle.Problem);
        Assert.DoesNotContain("does not belong", bundle.Error, StringComparison.Ordinal);
        Assert.Contains("gives its EC key's curve as explicit parameters", bundle.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pkcs12Reader_CertificateWithExplicitCurveParameters_RefusedSayingSo()
    {
        Run("pkcs12", "-export", "-inkey", _dir.File("explicit.key"), "-in", _dir.File("explicit.pem"), "-passout", "pass:x", "-out", _dir.File("explicit.p12"));

        var contents = Pkcs12Reader.Read(File.ReadAllBytes(_dir.File("explicit.p12")), "x");

        Assert.False(contents.IsSuccess);
        Assert.Contains("gives its EC key's curve as explicit parameters", contents.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateKeyReader_KeyWithExplicitCurveParameters_KeptUnderTheCurveName()
    {
        var key = PrivateKeyReader.Read(File.ReadAllBytes(_dir.File("explicit.key")));
        Assert.True(key.IsSuccess, key.Error);

        var text = OpenSsl.Run(key.Value.ExportPkcs8(), "pkey", "-inform", "DER", "-noout", "-text");

        Assert.Equal(Keys.KeyAlgorithm.EcdsaP256, key.Value.Algorithm);
        Assert.Contains("ASN1 OID: prime256v1", text.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Field Type", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void BundleReader_ExplicitKeyWithNamedCurveCertificate_Accepted()
    {
        Run("ec", "-in", _dir.File("explicit.key"), "-param_enc", "named_curve", "-out", _dir.File("named.key"));
        Run("req", "-x509", "-key", _dir.File("named.key"), "-subj", "/CN=nas.home.arpa", "-days", "30",
            "-addext", "subjectAltName=DNS:nas.home.arpa", "-out", _dir.File("named.pem"));

        var bundle = BundleReader.Read([Upload("named.pem"), Upload("explicit.key")]);

        Assert.True(bundle.IsSuccess, bundle.Error);
        Assert.False(bundle.Value.Leaf.PublicKey.HasExplicitCurveParameters);
    }

    private BundleFile Upload(string name) => new(name, File.ReadAllBytes(_dir.File(name)));
}
