using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Issuance;

public class SignRequestTests
{
    private static readonly string[] GreedyExtensions =
    [
        "subjectAltName=DNS:nas3.home.arpa,IP:192.168.1.13",
        "basicConstraints=critical,CA:TRUE",
        "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
        "extendedKeyUsage=codeSigning,clientAuth",
        "nameConstraints=critical,permitted;DNS:evil.example",
        "authorityInfoAccess=OCSP;URI:http://ocsp.evil.example/,caIssuers;URI:http://evil.example/ca.crt",
        "crlDistributionPoints=URI:http://evil.example/crl",
        "1.3.6.1.4.1.55555.1=critical,ASN1:UTF8String:evil",
    ];

    /// <summary>Makes a request with the real openssl and reads it back through PEM, as an upload would be.</summary>
    private static CertificateSigningRequest OpenSslRequest(TempDirectory dir, string keySpec, string subject, params string[] extensions)
    {
        var arguments = new List<string> { "req", "-new", "-newkey", keySpec, "-nodes", "-keyout", dir.File("req.key"),
            "-out", dir.File("req.pem"), "-subj", subject };
        if (keySpec == "ec")
        {
            arguments.AddRange(["-pkeyopt", "ec_paramgen_curve:P-256"]);
        }

        foreach (var extension in extensions)
        {
            arguments.AddRange(["-addext", extension]);
        }

        var made = OpenSsl.Run([.. arguments]);
        Assert.True(made.ExitCode == 0, made.All);
        var blocks = PemReader.ReadAll(File.ReadAllBytes(dir.File("req.pem"))).Value;
        var block = Assert.Single(blocks);
        Assert.Equal(Pem.CertificateRequestLabel, block.Label);
        var request = CertificateSigningRequest.FromDer(block.Data);
        Assert.True(request.IsSuccess, request.Error);
        return request.Value;
    }

    [Fact]
    public void SignRequest_OpenSslRequestAskingForCaPowers_CopiesNoneOfThem()
    {
        using var dir = new TempDirectory();
        var request = OpenSslRequest(dir, "ec", "/CN=nas3.home.arpa/O=Home", GreedyExtensions);

        var issued = new CertificateIssuer().SignRequest(TestPki.Root, request, new SignRequestOptions());

        Assert.True(issued.IsSuccess, issued.Error);
        Assert.Equal(
            ["1.3.6.1.4.1.55555.1", "1.3.6.1.5.5.7.1.1", "2.5.29.15", "2.5.29.19", "2.5.29.30", "2.5.29.31", "2.5.29.37"],
            request.IgnoredExtensions.Select(e => e.Oid).Order(StringComparer.Ordinal));
        Assert.Contains(request.IgnoredExtensions, e => e is { Oid: "1.3.6.1.4.1.55555.1", Name: "unknown extension", Critical: true });
        Assert.Contains(request.IgnoredExtensions, e => e is { Oid: "2.5.29.19", Critical: true });

        var certificate = issued.Value.Certificate;
        var text = OpenSsl.Text(certificate);
        Assert.Matches(@"X509v3 Basic Constraints: critical\s+CA:FALSE", text);
        Assert.Matches(@"X509v3 Key Usage: critical\s+Digital Signature\s", text);
        Assert.Matches(@"X509v3 Extended Key Usage:\s+TLS Web Server Authentication\s", text);
        Assert.Matches(@"X509v3 Subject Alternative Name:\s+DNS:nas3.home.arpa, IP Address:192.168.1.13", text);
        foreach (var absent in new[] { "CA:TRUE", "Certificate Sign", "CRL Sign", "Code Signing", "Client Authentication",
            "Name Constraints", "Authority Information Access", "CRL Distribution Points", "1.3.6.1.4.1.55555.1", "evil" })
        {
            Assert.DoesNotContain(absent, text, StringComparison.Ordinal);
        }

        Assert.True(certificate.SubjectPublicKeyInfo.Span.SequenceEqual(request.SubjectPublicKeyInfo.Span));
        var keyMatches = OpenSsl.Run("x509", "-in", dir.Write("issued.pem", certificate.ToPem()), "-noout", "-pubkey");
        var requestKey = OpenSsl.Run("pkey", "-in", dir.File("req.key"), "-pubout");
        Assert.Equal(requestKey.Output, keyMatches.Output);
        var verified = OpenSsl.VerifyServer(dir, TestPki.Root.Certificate, certificate, null, "-verify_hostname", "nas3.home.arpa");
        Assert.True(verified.ExitCode == 0, verified.All);
    }

    [Fact]
    public void SignRequest_OpenSslRsa1024Request_RefusedAsTooWeak()
    {
        using var dir = new TempDirectory();
        var request = OpenSslRequest(dir, "rsa:1024", "/CN=old.home.arpa", "subjectAltName=DNS:old.home.arpa");

        var issued = new CertificateIssuer().SignRequest(TestPki.Root, request, new SignRequestOptions());

        Assert.False(issued.IsSuccess);
        Assert.Contains("RSA 1024", issued.Error, StringComparison.Ordinal);
        Assert.Contains("too weak", issued.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDer_FlippedSignatureByte_RefusedAsAltered()
    {
        using var dir = new TempDirectory();
        var der = OpenSslRequest(dir, "ec", "/CN=nas4.home.arpa", "subjectAltName=DNS:nas4.home.arpa").ToDer();
        der[^1] ^= 0x01;

        var result = CertificateSigningRequest.FromDer(der);

        Assert.False(result.IsSuccess);
        Assert.Contains("signature does not verify", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDer_FlippedSubjectByte_RefusedAsAltered()
    {
        var key = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);
        var der = CertificateIssuer.CreateSigningRequest(DistinguishedName.Create("nas5.home.arpa").Value, [], key).Value.ToDer();
        var at = der.AsSpan().IndexOf("nas5"u8);
        der[at] = (byte)'m';

        var result = CertificateSigningRequest.FromDer(der);

        Assert.False(result.IsSuccess);
        Assert.Contains("signature does not verify", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SignRequest_OpenSslRequestWithWildcardTld_RefusedNamingTheEntry()
    {
        using var dir = new TempDirectory();
        var request = OpenSslRequest(dir, "ec", "/CN=nas.home.arpa", "subjectAltName=DNS:nas.home.arpa,DNS:*.com");

        var issued = new CertificateIssuer().SignRequest(TestPki.Root, request, new SignRequestOptions());

        Assert.False(issued.IsSuccess);
        Assert.Contains("\"*.com\"", issued.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SignRequest_OperatorChosenNamesIncludeRequestedCn_CnKept()
    {
        var key = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);
        var request = CertificateIssuer.CreateSigningRequest(DistinguishedName.Create("nas.lan", "Home").Value, [], key).Value;

        var issued = new CertificateIssuer().SignRequest(TestPki.Root, request, new SignRequestOptions
        {
            SubjectAlternativeNames = TestPki.Names("10.0.0.9", "nas.lan"),
        });

        Assert.True(issued.IsSuccess, issued.Error);
        Assert.Equal("nas.lan", issued.Value.Certificate.Subject.CommonName);
        Assert.Equal("Home", issued.Value.Certificate.Subject.Organization);
        Assert.Equal(["IP:10.0.0.9", "DNS:nas.lan"], issued.Value.Certificate.SubjectAlternativeNames.Select(n => n.ToString()));
    }

    [Fact]
    public void SignRequest_RequestWithCaKey_Refused()
    {
        var request = CertificateIssuer.CreateSigningRequest(DistinguishedName.Create("nas.lan").Value, [], TestPki.Root.Key).Value;

        var issued = new CertificateIssuer().SignRequest(TestPki.Root, request, new SignRequestOptions());

        Assert.False(issued.IsSuccess);
        Assert.Contains("CA's own key", issued.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SignRequest_OperatorChosenNames_ReplaceRequestedNamesAndCommonName()
    {
        var key = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);
        var request = CertificateIssuer.CreateSigningRequest(new DistinguishedName(), TestPki.Names("asked.lan", "10.0.0.9"), key).Value;

        var issued = new CertificateIssuer().SignRequest(TestPki.Root, request, new SignRequestOptions
        {
            SubjectAlternativeNames = TestPki.Names("approved.lan"),
        });

        Assert.True(issued.IsSuccess, issued.Error);
        Assert.Equal(["DNS:approved.lan"], issued.Value.Certificate.SubjectAlternativeNames.Select(n => n.ToString()));
        Assert.Equal("approved.lan", issued.Value.Certificate.Subject.CommonName);
        Assert.Null(issued.Value.Key);
    }

    [Theory]
    [InlineData("subjectAltName=DNS:*.com", "*.com")]
    [InlineData("subjectAltName=DNS:under_score.lan", "under_score.lan")]
    [InlineData("subjectAltName=DNS:256.1.1.1", "256.1.1.1")]
    public void SignRequest_RequestWithNameWeWouldRefuse_RefusedEvenWhenApprovedAsIs(string extension, string named)
    {
        using var dir = new TempDirectory();
        var request = OpenSslRequest(dir, "ec", "/O=Home", extension);

        var asRequested = new CertificateIssuer().SignRequest(TestPki.Root, request, new SignRequestOptions());
        var approvedAsIs = new CertificateIssuer().SignRequest(TestPki.Root, request,
            new SignRequestOptions { SubjectAlternativeNames = request.SubjectAlternativeNames });

        Assert.False(asRequested.IsSuccess);
        Assert.Contains(named, asRequested.Error, StringComparison.Ordinal);
        Assert.False(approvedAsIs.IsSuccess);
        Assert.Contains(named, approvedAsIs.Error, StringComparison.Ordinal);
    }
}
