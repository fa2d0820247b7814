using System.Text;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Formats;

public class CertificateReaderTests
{
    private static readonly ThreeLevelChain Chain = ThreeLevelChain.Shared;

    [Theory]
    [InlineData("lf")]
    [InlineData("crlf")]
    [InlineData("bom")]
    [InlineData("bag")]
    public void ReadAll_PemVariantsWithSeveralBlocks_ReadsAllInOrder(string variant)
    {
        var text = Chain.Leaf.Certificate.ToPem() + Chain.Intermediate.Certificate.ToPem();
        byte[] data = variant switch
        {
            "crlf" => Encoding.ASCII.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)),
            "bom" => [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes(text)],
            "bag" => Encoding.ASCII.GetBytes("Bag Attributes\n    friendlyName: nas\nsubject=CN = nas.home.arpa\nissuer=CN = x\n" + text),
            _ => Encoding.ASCII.GetBytes(text),
        };

        var certificates = CertificateReader.ReadAll(data);

        Assert.True(certificates.IsSuccess, certificates.ToString());
        Assert.Equal([Chain.Leaf.Certificate, Chain.Intermediate.Certificate], certificates.Value);
    }

    [Fact]
    public void ReadAll_Der_ReadsOneCertificate()
    {
        var certificates = CertificateReader.ReadAll(Chain.Root.Certificate.ToDer());

        Assert.Equal(Chain.Root.Certificate, Assert.Single(certificates.Value));
    }

    [Fact]
    public void ReadAll_OpenSslTrustedCertificate_RefusedWithConversionHint()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("ca.pem", Chain.Root.Certificate.ToPem());
        var trusted = OpenSsl.Run("x509", "-in", file, "-trustout", "-addtrust", "serverAuth");
        Assert.Contains("BEGIN TRUSTED CERTIFICATE", trusted.Output, StringComparison.Ordinal);

        var result = CertificateReader.ReadAll(Encoding.ASCII.GetBytes(trusted.Output));

        Assert.False(result.IsSuccess);
        Assert.Contains("openssl x509", result.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> BadInputs()
    {
        var pem = Chain.Leaf.Certificate.ToPem();
        var der = Chain.Leaf.Certificate.ToDer();
        return new()
        {
            { "empty", [] },
            { "garbage", [0x01, 0x02, 0x03] },
            { "truncated PEM", Encoding.ASCII.GetBytes(pem[..(pem.Length / 2)]) },
            { "truncated DER", der[..(der.Length - 1)] },
            { "trailing DER data", [.. der, 0x00] },
            { "oversized", new byte[PemReader.MaxInputBytes + 1] },
            { "mismatched END", Encoding.ASCII.GetBytes(pem.Replace("END CERTIFICATE", "END X509 CRL", StringComparison.Ordinal)) },
            { "key only", Encoding.ASCII.GetBytes(PrivateKeyWriter.ToPkcs8Pem(Chain.Leaf.Key!)) },
            { "damaged block", Encoding.ASCII.GetBytes(Pem.Encode(Pem.CertificateLabel, der.AsSpan(0, 40))) },
            { "PKCS7", Encoding.ASCII.GetBytes(Pem.Encode(Pem.Pkcs7Label, [0x30, 0x00])) },
        };
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void ReadAll_BadInput_FailsWithMessage(string name, byte[] data)
    {
        var result = CertificateReader.ReadAll(data);

        Assert.False(result.IsSuccess, name);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Fact]
    public void ReadOne_TwoCertificates_Refused()
    {
        var result = CertificateReader.ReadOne(Encoding.ASCII.GetBytes(Chain.Leaf.Certificate.ToPem() + Chain.Root.Certificate.ToPem()));

        Assert.Contains("2 certificates", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CERTIFICATE REQUEST", false)]
    [InlineData("NEW CERTIFICATE REQUEST", false)]
    [InlineData("", true)]
    public void SigningRequestRead_PemLabelsAndDer_ReadsRequest(string label, bool der)
    {
        var key = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);
        var csr = CertificateIssuer.CreateSigningRequest(Pki.Names.DistinguishedName.Create("nas3.home.arpa").Value, TestPki.Names("nas3.home.arpa"), key).Value;
        var data = der ? csr.ToDer() : Encoding.ASCII.GetBytes(Pem.Encode(label, csr.ToDer()).Replace("\n", "\r\n", StringComparison.Ordinal));

        var read = SigningRequestReader.Read(data);

        Assert.True(read.IsSuccess, read.ToString());
        Assert.Equal(csr.ToDer(), read.Value.ToDer());
    }

    [Fact]
    public void SigningRequestRead_OpenSslRequest_ReadsSubject()
    {
        using var keys = new OpenSslKeys();
        var request = OpenSsl.Run("req", "-new", "-key", keys.EcBase, "-subj", "/CN=box.home.arpa");

        var read = SigningRequestReader.Read(Encoding.ASCII.GetBytes(request.Output));

        Assert.True(read.IsSuccess, read.ToString());
        Assert.Equal("box.home.arpa", read.Value.Subject.CommonName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n")]
    public void SigningRequestRead_BadInput_FailsWithMessage(string text)
    {
        var read = SigningRequestReader.Read(Encoding.ASCII.GetBytes(text));

        Assert.False(read.IsSuccess);
        Assert.False(string.IsNullOrWhiteSpace(read.Error));
    }
}
