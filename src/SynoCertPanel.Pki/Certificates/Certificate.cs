using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace SynoCertPanel.Pki.Certificates;

/// <summary>
/// An X.509 certificate, parsed once, with everything the certificate page shows. Immutable.
/// </summary>
public sealed class Certificate : IEquatable<Certificate>
{
    /// <summary>Far larger than any real certificate (a few KiB); bounds the work of parsing garbage.</summary>
    public const int MaxDerLength = 64 * 1024;

    private readonly byte[] _der;

    private Certificate(byte[] der, BcCertificate parsed)
    {
        _der = der;
        Parsed = parsed;
        Subject = DistinguishedName.FromX509Name(parsed.SubjectDN);
        Issuer = DistinguishedName.FromX509Name(parsed.IssuerDN);
        SubjectText = parsed.SubjectDN.ToString();
        IssuerText = parsed.IssuerDN.ToString();
        SerialNumber = parsed.SerialNumber;
        NotBefore = new DateTimeOffset(parsed.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        NotAfter = new DateTimeOffset(parsed.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        Sha256Fingerprint = Convert.ToHexString(SHA256.HashData(der));
        // SHA-1 only as a display fingerprint: Windows and macOS still show it in their certificate dialogs.
#pragma warning disable CA5350
        Sha1Fingerprint = Convert.ToHexString(SHA1.HashData(der));
#pragma warning restore CA5350
        SubjectPublicKeyInfo = parsed.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();
        SubjectAlternativeNames = CertificateExtensions.ReadSubjectAlternativeNames(parsed, out var unsupported);
        UnsupportedAlternativeNames = unsupported;
        var basic = parsed.GetBasicConstraints();
        IsCertificateAuthority = basic >= 0;
        PathLength = basic is >= 0 and < int.MaxValue ? basic : null;
        HasBasicConstraints = parsed.GetExtensionValue(X509Extensions.BasicConstraints) is not null;
        KeyUsages = CertificateExtensions.ReadKeyUsages(parsed);
        ExtendedKeyUsageOids = CertificateExtensions.ReadExtendedKeyUsages(parsed);
        SubjectKeyIdentifier = CertificateExtensions.ReadSubjectKeyIdentifier(parsed);
        AuthorityKeyIdentifier = CertificateExtensions.ReadAuthorityKeyIdentifier(parsed);
        PublicKey = PublicKeyDescription.From(parsed.CertificateStructure.SubjectPublicKeyInfo);
        SignatureAlgorithmOid = parsed.SigAlgOid;
        SignatureAlgorithmName = SignatureAlgorithmNames.Describe(parsed.SigAlgOid);
        NameConstraints = CertificateExtensions.ReadNameConstraints(parsed);
        UnprocessedCriticalExtensions = CriticalExtensions.Unprocessed(parsed);
    }

    internal BcCertificate Parsed { get; }

    public DistinguishedName Subject { get; }

    public DistinguishedName Issuer { get; }

    /// <summary>The subject as the certificate spells it (every attribute, including ones we do not model).</summary>
    public string SubjectText { get; }

    public string IssuerText { get; }

    public Org.BouncyCastle.Math.BigInteger SerialNumber { get; }

    /// <summary>Serial number as upper-case hex without separators.</summary>
    public string SerialNumberHex => SerialNumber.ToString(16).ToUpperInvariant();

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    public string Sha256Fingerprint { get; }

    public string Sha1Fingerprint { get; }

    /// <summary>The key identity used for matching keys, CSRs and renewals.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    public IReadOnlyList<SubjectAlternativeName> SubjectAlternativeNames { get; }

    /// <summary>SAN entries of kinds the panel does not model (otherName, directoryName, …), as text.</summary>
    public IReadOnlyList<string> UnsupportedAlternativeNames { get; }

    public bool IsCertificateAuthority { get; }

    public bool HasBasicConstraints { get; }

    public int? PathLength { get; }

    /// <summary>Null when the certificate has no keyUsage extension.</summary>
    public KeyUsages? KeyUsages { get; }

    /// <summary>Null when the certificate has no extendedKeyUsage extension.</summary>
    public IReadOnlyList<string>? ExtendedKeyUsageOids { get; }

    public byte[]? SubjectKeyIdentifier { get; }

    public byte[]? AuthorityKeyIdentifier { get; }

    public PublicKeyDescription PublicKey { get; }

    public string SignatureAlgorithmOid { get; }

    public string SignatureAlgorithmName { get; }

    public Profiles.NameConstraints? NameConstraints { get; }

    /// <summary>
    /// OIDs of extensions marked critical that clients do not process: RFC 5280 §4.2 makes every client reject
    /// the certificate (openssl: "unhandled critical extension"). Empty for a usable certificate.
    /// </summary>
    public IReadOnlyList<string> UnprocessedCriticalExtensions { get; }

    public bool IsSelfIssued => Parsed.SubjectDN.Equivalent(Parsed.IssuerDN, true);

    public bool HasServerAuth => ExtendedKeyUsageOids?.Contains(KeyPurposeID.id_kp_serverAuth.Id) ?? false;

    public ReadOnlyMemory<byte> RawData => _der;

    public byte[] ToDer() => (byte[])_der.Clone();

    public string ToPem() => Formats.Pem.Encode(Formats.Pem.CertificateLabel, _der);

    public X509Certificate2 ToX509Certificate2() => X509CertificateLoader.LoadCertificate(_der);

    /// <summary>Whether a client connecting to <paramref name="host"/> (a DNS name or an IP address) finds it among the SANs, as browsers match.</summary>
    public bool Covers(string host) => Lint.HostMatcher.Covers(SubjectAlternativeNames, host);

    public bool IsValidAt(DateTimeOffset instant) => instant >= NotBefore && instant <= NotAfter;

    public TimeSpan Validity => NotAfter - NotBefore;

    /// <summary>True when <paramref name="issuer"/>'s key verifies this certificate's signature.</summary>
    public bool IsSignedBy(Certificate issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        try
        {
            // The algorithm named inside the signed part must be the one used outside it (RFC 5280 4.1.1.2).
            var structure = Parsed.CertificateStructure;
            return structure.SignatureAlgorithm.Equals(structure.TbsCertificate.Signature)
                && SignatureVerifier.Verify(structure.SignatureAlgorithm, issuer.SubjectPublicKeyInfo.Span, Parsed.GetTbsCertificate(), Parsed.GetSignature());
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="key"/> is the private half of this certificate's public key.</summary>
    public bool Matches(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.MatchesPublicKey(SubjectPublicKeyInfo.Span);
    }

    public static Result<Certificate> FromDer(ReadOnlySpan<byte> der)
    {
        if (der.Length == 0)
        {
            return Result.Failure<Certificate>("The certificate is empty.");
        }

        if (der.Length > MaxDerLength)
        {
            return Result.Failure<Certificate>($"The certificate is {der.Length} bytes, larger than any real certificate ({MaxDerLength} at most).");
        }

        if (der[0] != 0x30)
        {
            return Result.Failure<Certificate>("The data is not a DER certificate (it does not start with an ASN.1 sequence).");
        }

        var bytes = der.ToArray();
        if (ParseErrors.NestsTooDeeply(bytes))
        {
            return Result.Failure<Certificate>("The certificate nests its structure deeper than any real certificate; it was refused unread.");
        }

        try
        {
            var structure = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(bytes));
            if (ParseErrors.NestsTooDeeply(structure.TbsCertificate.Extensions))
            {
                return Result.Failure<Certificate>("An extension of the certificate nests deeper than any real one; it was refused unread.");
            }

            var canonical = structure.GetDerEncoded();
            if (!canonical.AsSpan().SequenceEqual(bytes))
            {
                // Trailing bytes or a non-DER (BER) encoding: signatures are over DER, so refuse.
                return Result.Failure<Certificate>("The certificate is not strictly DER-encoded (it has trailing data or a non-canonical encoding).");
            }

            return Result.Success(new Certificate(bytes, new BcCertificate(structure)));
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return Result.Failure<Certificate>("The certificate is damaged, is not an X.509 certificate, or uses a key type that is not supported.");
        }
    }

    public bool Equals(Certificate? other) => other is not null && _der.AsSpan().SequenceEqual(other._der);

    public override bool Equals(object? obj) => Equals(obj as Certificate);

    public override int GetHashCode() => HashCode.Combine(Sha256Fingerprint);

    public override string ToString() => $"{SubjectText} (serial {SerialNumberHex}, until {NotAfter:yyyy-MM-dd})";
}
