using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Issuance;

public class RenewalTests
{
    private static IssuedCertificate Existing(CertificateProfile? profile = null) =>
        new CertificateIssuer().IssueLeaf(TestPki.Root, new LeafOptions
        {
            Subject = DistinguishedName.Create("nas.home.arpa", "Home", "IT", "Köln", "NRW", "DE").Value,
            SubjectAlternativeNames = TestPki.Names("192.168.1.10", "*.nas.home.arpa", "bücher.home.arpa"),
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            ValidityDays = 200,
            Profile = profile ?? CertificateProfile.TlsServer,
        }).Value;

    [Fact]
    public void CreateRenewalRequest_Existing_SameSubjectAndNamesNewKey()
    {
        var existing = Existing();

        var renewal = CertificateIssuer.CreateRenewalRequest(existing.Certificate);

        Assert.True(renewal.IsSuccess, renewal.Error);
        Assert.Equal(existing.Certificate.Subject, renewal.Value.Request.Subject);
        Assert.Equal(existing.Certificate.SubjectText, renewal.Value.Request.SubjectText);
        Assert.Equal(existing.Certificate.SubjectAlternativeNames, renewal.Value.Request.SubjectAlternativeNames);
        Assert.Equal(KeyAlgorithm.EcdsaP256, renewal.Value.Key.Algorithm);
        Assert.False(existing.Certificate.Matches(renewal.Value.Key));
        Assert.True(renewal.Value.Key.MatchesPublicKey(renewal.Value.Request.SubjectPublicKeyInfo.Span));
    }

    [Fact]
    public void CreateRenewalRequest_OtherKeyType_UsesIt()
    {
        var renewal = CertificateIssuer.CreateRenewalRequest(Existing().Certificate, KeyAlgorithm.EcdsaP384).Value;

        Assert.Equal(KeyAlgorithm.EcdsaP384, renewal.Key.Algorithm);
        Assert.Equal(KeyAlgorithm.EcdsaP384, renewal.Request.PublicKey.Algorithm);
    }

    [Fact]
    public void CreateRenewalRequest_CaCertificate_Refused()
    {
        var result = CertificateIssuer.CreateRenewalRequest(TestPki.Root.Certificate);

        Assert.False(result.IsSuccess);
        Assert.Contains("new CA", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void RenewWith_Existing_SameSubjectNamesAndLifetimeNewKeyVerifies()
    {
        using var dir = new TempDirectory();
        var existing = Existing();

        var renewed = new CertificateIssuer().RenewWith(TestPki.Root, existing.Certificate);

        Assert.True(renewed.IsSuccess, renewed.Error);
        var certificate = renewed.Value.Certificate;
        Assert.Equal(existing.Certificate.Subject, certificate.Subject);
        Assert.Equal(existing.Certificate.SubjectAlternativeNames, certificate.SubjectAlternativeNames);
        Assert.NotEqual(existing.Certificate.SerialNumber, certificate.SerialNumber);
        Assert.False(certificate.SubjectPublicKeyInfo.Span.SequenceEqual(existing.Certificate.SubjectPublicKeyInfo.Span));
        Assert.True(certificate.Matches(renewed.Value.Key!));
        Assert.Equal(TimeSpan.FromDays(200), certificate.Validity);
        Assert.True(certificate.HasServerAuth);
        var verified = OpenSsl.VerifyServer(dir, TestPki.Root.Certificate, certificate, null, "-verify_hostname", "x.nas.home.arpa");
        Assert.True(verified.ExitCode == 0, verified.All);
    }

    [Fact]
    public void RenewWith_ClientCertificate_StaysClientCertificate()
    {
        var existing = Existing(CertificateProfile.TlsClient);

        var renewed = new CertificateIssuer().RenewWith(TestPki.Root, existing.Certificate, KeyAlgorithm.EcdsaP256).Value.Certificate;

        Assert.Equal(["1.3.6.1.5.5.7.3.2"], renewed.ExtendedKeyUsageOids);
    }
}
