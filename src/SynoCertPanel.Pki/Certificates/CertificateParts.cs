using System.Formats.Asn1;
using System.Security.Cryptography;

namespace SynoCertPanel.Pki.Certificates;

/// <summary>
/// The parts of a DER certificate that serving it needs (names, public key, signature), read with .NET's ASN.1 reader
/// alone. The HTTPS listener loads its certificate at every start through these, so an idle panel never loads
/// BouncyCastle for it; everything the pages show is <see cref="Certificate"/>, parsed when first asked for.
/// </summary>
public sealed class CertificateParts
{
    private static readonly Asn1Tag VersionTag = new(TagClass.ContextSpecific, 0);

    private CertificateParts(ReadOnlyMemory<byte> toBeSigned, ReadOnlyMemory<byte> signatureAlgorithm, string signatureAlgorithmOid,
        ReadOnlyMemory<byte> innerSignatureAlgorithm, byte[] signature, ReadOnlyMemory<byte> issuer, ReadOnlyMemory<byte> subject,
        ReadOnlyMemory<byte> subjectPublicKeyInfo)
    {
        ToBeSigned = toBeSigned;
        SignatureAlgorithm = signatureAlgorithm;
        SignatureAlgorithmOid = signatureAlgorithmOid;
        InnerSignatureAlgorithm = innerSignatureAlgorithm;
        Signature = signature;
        Issuer = issuer;
        Subject = subject;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
    }

    /// <summary>The signed part (TBSCertificate), as encoded.</summary>
    public ReadOnlyMemory<byte> ToBeSigned { get; }

    /// <summary>The AlgorithmIdentifier outside the signed part, as encoded.</summary>
    public ReadOnlyMemory<byte> SignatureAlgorithm { get; }

    public string SignatureAlgorithmOid { get; }

    /// <summary>The AlgorithmIdentifier inside the signed part, as encoded.</summary>
    private ReadOnlyMemory<byte> InnerSignatureAlgorithm { get; }

    private byte[] Signature { get; }

    /// <summary>The issuer Name, as encoded.</summary>
    public ReadOnlyMemory<byte> Issuer { get; }

    /// <summary>The subject Name, as encoded.</summary>
    public ReadOnlyMemory<byte> Subject { get; }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    /// <summary>
    /// Subject and issuer encoded alike. RFC 5280 §7.1 has issuers copy the subject's encoding, so this is how a root
    /// names itself; <see cref="Certificate.IsSelfIssued"/> also matches names that only compare equal.
    /// </summary>
    public bool IsSelfIssued => Subject.Span.SequenceEqual(Issuer.Span);

    /// <summary>A root: self-issued, and its own key verifies its signature.</summary>
    public bool IsSelfSigned => IsSelfIssued && IsSignedBy(SubjectPublicKeyInfo.Span);

    /// <summary>True when the key in <paramref name="issuerSubjectPublicKeyInfo"/> verifies this certificate's signature.</summary>
    public bool IsSignedBy(ReadOnlySpan<byte> issuerSubjectPublicKeyInfo) =>
        // The algorithm named inside the signed part must be the one used outside it (RFC 5280 4.1.1.2).
        SignatureAlgorithm.Span.SequenceEqual(InnerSignatureAlgorithm.Span)
        && SignatureVerifier.Verify(SignatureAlgorithmOid, issuerSubjectPublicKeyInfo, ToBeSigned.ToArray(), Signature);

    /// <summary>Reads the certificate's outline; the parts are slices of <paramref name="der"/>, which must not change.</summary>
    public static Result<CertificateParts> Read(ReadOnlyMemory<byte> der)
    {
        if (der.Length > Certificate.MaxDerLength)
        {
            return Result.Failure<CertificateParts>($"The certificate is {der.Length} bytes, larger than any real certificate ({Certificate.MaxDerLength} at most).");
        }

        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var certificate = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var toBeSigned = certificate.PeekEncodedValue();
            var tbs = certificate.ReadSequence();
            var signatureAlgorithm = certificate.PeekEncodedValue();
            var oid = certificate.ReadSequence().ReadObjectIdentifier();
            var signature = certificate.ReadBitString(out var unusedBits);
            certificate.ThrowIfNotEmpty();
            if (unusedBits != 0)
            {
                return Result.Failure<CertificateParts>("The certificate's signature is not a whole number of bytes.");
            }

            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(VersionTag))
            {
                tbs.ReadEncodedValue();
            }

            tbs.ReadIntegerBytes();
            var inner = ReadSequenceEncoding(tbs);
            var issuer = ReadSequenceEncoding(tbs);
            ReadSequenceEncoding(tbs);
            var subject = ReadSequenceEncoding(tbs);
            var subjectPublicKeyInfo = ReadSequenceEncoding(tbs);
            return Result.Success(new CertificateParts(toBeSigned, signatureAlgorithm, oid, inner, signature, issuer, subject, subjectPublicKeyInfo));
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return Result.Failure<CertificateParts>("The data is not a DER-encoded X.509 certificate.");
        }
    }

    private static ReadOnlyMemory<byte> ReadSequenceEncoding(AsnReader reader)
    {
        var encoded = reader.PeekEncodedValue();
        reader.ReadSequence();
        return encoded;
    }
}
