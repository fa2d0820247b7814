using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SynoCertPanel.Web.Tests.Cli.Remote;

/// <summary>A CA outside both panels that issues the test's certificates and signs their CSRs.</summary>
internal sealed class TestAuthority : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;

    public TestAuthority()
    {
        var request = new CertificateRequest("CN=Import Test Root CA", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-200), DateTimeOffset.UtcNow.AddYears(2));
    }

    public string Pem => _certificate.ExportCertificatePem() + "\n";

    /// <summary>The CA's own key, for importing the CA itself.</summary>
    public string KeyPem => _key.ExportPkcs8PrivateKeyPem() + "\n";

    public (string Certificate, string Key) Issue(string host, bool expired = false, int days = 90)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = Create(new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256), host, expired, days: days);
        return (issued.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    public byte[] IssuePkcs12(string host, string password)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = Create(new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256), host, expired: false);
        using var withKey = issued.CopyWithPrivateKey(key);
        return withKey.Export(X509ContentType.Pkcs12, password);
    }

    public string Sign(string csrPem)
    {
        var request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        var host = request.SubjectName.Name["CN=".Length..];
        foreach (var extension in request.CertificateExtensions.Where(e => e.Oid?.Value != "2.5.29.17").ToList())
        {
            request.CertificateExtensions.Remove(extension);
        }

        using var issued = Create(request, host, expired: false, addNames: false);
        return issued.ExportCertificatePem() + "\n";
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }

    private X509Certificate2 Create(CertificateRequest request, string host, bool expired, bool addNames = true, int days = 90)
    {
        if (addNames)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(host);
            request.CertificateExtensions.Add(names.Build());
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(expired ? -100 : -1);
        return request.Create(_certificate, notBefore, notBefore.AddDays(expired ? 10 : days), RandomNumberGenerator.GetBytes(16));
    }
}
