using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Certificates;

/// <summary>The outline the HTTPS listener reads with .NET alone must agree with the full parse on every chain it serves.</summary>
public sealed class CertificatePartsTests
{
    private static readonly ThreeLevelChain Chain = ThreeLevelChain.Shared;

    private static CertificateParts Read(Certificate certificate)
    {
        var parts = CertificateParts.Read(certificate.ToDer());
        Assert.True(parts.IsSuccess, parts.Error);
        return parts.Value;
    }

    [Fact]
    public void Read_EachCertificateOfAChain_AgreesWithTheFullParse()
    {
        foreach (var certificate in new[] { Chain.Root.Certificate, Chain.Intermediate.Certificate, Chain.Leaf.Certificate })
        {
            var parts = Read(certificate);

            Assert.Equal(certificate.SubjectPublicKeyInfo.ToArray(), parts.SubjectPublicKeyInfo.ToArray());
            Assert.Equal(certificate.SignatureAlgorithmOid, parts.SignatureAlgorithmOid);
            Assert.Equal(certificate.IsSelfIssued, parts.IsSelfIssued);
            Assert.Equal(certificate.IsSelfIssued && certificate.IsSignedBy(certificate), parts.IsSelfSigned);
        }
    }

    [Fact]
    public void IsSelfSigned_Root_True_IntermediateAndLeaf_False()
    {
        Assert.True(Read(Chain.Root.Certificate).IsSelfSigned);
        Assert.False(Read(Chain.Intermediate.Certificate).IsSelfSigned);
        Assert.False(Read(Chain.Leaf.Certificate).IsSelfSigned);
    }

    [Fact]
    public void IsSignedBy_ItsIssuersKey_True_AnotherKey_False()
    {
        var leaf = Read(Chain.Leaf.Certificate);

        Assert.True(leaf.IsSignedBy(Chain.Intermediate.Certificate.SubjectPublicKeyInfo.Span));
        Assert.False(leaf.IsSignedBy(Chain.Root.Certificate.SubjectPublicKeyInfo.Span));
        Assert.False(leaf.IsSignedBy([0x30, 0x03, 0x02, 0x01, 0x00]));
    }

    [Fact]
    public void IsSelfSigned_RsaRoot_True()
    {
        var root = TestCertificate.Build(TestCertificateSpec.Root with { Key = TestKeys.Rsa2048 });

        Assert.Equal("1.2.840.113549.1.1.11", Read(root.Certificate).SignatureAlgorithmOid);
        Assert.True(Read(root.Certificate).IsSelfSigned);
    }

    [Fact]
    public void IsSelfSigned_Ed25519Root_VerifiedThroughTheFallback()
    {
        var root = TestCertificate.Build(TestCertificateSpec.Root with { Key = TestKeys.Ed25519 });

        Assert.True(Read(root.Certificate).IsSelfSigned);
    }

    [Fact]
    public void IsSelfSigned_RootWithAlteredSignature_False()
    {
        var der = Chain.Root.Certificate.ToDer();
        // The signature is the last field: change its last byte.
        der[^1] ^= 0x01;

        var parts = CertificateParts.Read(der);

        Assert.True(parts.IsSuccess, parts.Error);
        Assert.True(parts.Value.IsSelfIssued);
        Assert.False(parts.Value.IsSelfSigned);
    }

    [Fact]
    public void IsSelfSigned_SignedPartNamesAnotherAlgorithm_False()
    {
        // A root whose outer signature algorithm says SHA-384 while the signed part says SHA-256 (RFC 5280 4.1.1.2).
        var der = Chain.Root.Certificate.ToDer();
        var outer = Read(Chain.Root.Certificate).SignatureAlgorithm;
        var at = der.AsSpan().LastIndexOf(outer.Span);
        Assert.Equal(0x02, der[at + outer.Length - 1]);
        der[at + outer.Length - 1] = 0x03;

        var parts = CertificateParts.Read(der);

        Assert.True(parts.IsSuccess, parts.Error);
        Assert.Equal("1.2.840.10045.4.3.3", parts.Value.SignatureAlgorithmOid);
        Assert.False(parts.Value.IsSelfSigned);
    }

    public static TheoryData<string, byte[]> NotCertificates()
    {
        var der = Chain.Leaf.Certificate.ToDer();
        return new()
        {
            { "empty", [] },
            { "text", "not a certificate"u8.ToArray() },
            { "trailing byte", [.. der, 0x00] },
            { "cut short", der[..^10] },
            { "empty sequence", [0x30, 0x00] },
            { "length past the end", [0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF] },
            { "BER indefinite length", [0x30, 0x80, 0x00, 0x00] },
            { "larger than any certificate", [0x30, 0x83, 0x01, 0x00, 0x00, .. new byte[0x10000]] },
            { "a private key", Chain.Leaf.Key!.ExportPkcs8() },
        };
    }

    [Theory]
    [MemberData(nameof(NotCertificates))]
    public void Read_NotACertificate_RefusedWithAMessage(string what, byte[] data)
    {
        var parts = CertificateParts.Read(data);

        Assert.False(parts.IsSuccess, what);
        Assert.Contains("certificate", parts.Error, StringComparison.Ordinal);
    }
}
