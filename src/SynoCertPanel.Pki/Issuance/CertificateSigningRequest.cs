using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Pki.Issuance;

/// <summary>An extension a CSR asked for that signing will not copy (the issuer decides those).</summary>
public sealed record RequestedExtension(string Oid, string Name, bool Critical);

/// <summary>A parsed PKCS#10 request whose signature has been verified.</summary>
public sealed class CertificateSigningRequest
{
    public const int MaxDerLength = 64 * 1024;

    private static readonly Dictionary<string, string> ExtensionNames = new()
    {
        [X509Extensions.BasicConstraints.Id] = "basic constraints (CA flag)",
        [X509Extensions.KeyUsage.Id] = "key usage",
        [X509Extensions.ExtendedKeyUsage.Id] = "extended key usage",
        [X509Extensions.NameConstraints.Id] = "name constraints",
        [X509Extensions.AuthorityInfoAccess.Id] = "authority information access (OCSP/CA issuer URLs)",
        [X509Extensions.CrlDistributionPoints.Id] = "CRL distribution points",
        [X509Extensions.CertificatePolicies.Id] = "certificate policies",
        [X509Extensions.SubjectKeyIdentifier.Id] = "subject key identifier",
        [X509Extensions.AuthorityKeyIdentifier.Id] = "authority key identifier",
        [X509Extensions.PolicyConstraints.Id] = "policy constraints",
        [X509Extensions.InhibitAnyPolicy.Id] = "inhibit any policy",
        ["1.3.6.1.5.5.7.1.24"] = "TLS feature (OCSP must-staple)",
    };

    private readonly byte[] _der;

    private CertificateSigningRequest(byte[] der, Pkcs10CertificationRequest parsed, IReadOnlyList<SubjectAlternativeName> sans,
        IReadOnlyList<string> unsupportedNames, IReadOnlyList<RequestedExtension> ignored)
    {
        _der = der;
        Parsed = parsed;
        var info = parsed.GetCertificationRequestInfo();
        SubjectName = info.Subject;
        Subject = DistinguishedName.FromX509Name(info.Subject);
        SubjectText = info.Subject.ToString();
        SubjectAlternativeNames = sans;
        UnsupportedAlternativeNames = unsupportedNames;
        IgnoredExtensions = ignored;
        SubjectPublicKeyInfo = info.SubjectPublicKeyInfo.GetDerEncoded();
        PublicKey = PublicKeyDescription.From(info.SubjectPublicKeyInfo);
        SignatureAlgorithmName = SignatureAlgorithmNames.Describe(parsed.SignatureAlgorithm.Algorithm.Id);
        HasWeakSignature = SignatureAlgorithmNames.IsWeak(parsed.SignatureAlgorithm.Algorithm.Id);
    }

    internal Pkcs10CertificationRequest Parsed { get; }

    internal X509Name SubjectName { get; }

    public DistinguishedName Subject { get; }

    public string SubjectText { get; }

    public IReadOnlyList<SubjectAlternativeName> SubjectAlternativeNames { get; }

    public IReadOnlyList<string> UnsupportedAlternativeNames { get; }

    /// <summary>Extensions the request asked for that the issuer will not copy.</summary>
    public IReadOnlyList<RequestedExtension> IgnoredExtensions { get; }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    public PublicKeyDescription PublicKey { get; }

    public string SignatureAlgorithmName { get; }

    /// <summary>The request was signed with MD5 or SHA-1. The certificate we issue is still SHA-256.</summary>
    public bool HasWeakSignature { get; }

    public byte[] ToDer() => (byte[])_der.Clone();

    public string ToPem() => Pem.Encode(Pem.CertificateRequestLabel, _der);

    internal static CertificateSigningRequest FromSigned(Pkcs10CertificationRequest request) =>
        FromDer(request.GetDerEncoded()).Value;

    public static Result<CertificateSigningRequest> FromDer(ReadOnlySpan<byte> der)
    {
        if (der.Length == 0)
        {
            return Result.Failure<CertificateSigningRequest>("The certificate signing request is empty.");
        }

        if (der.Length > MaxDerLength)
        {
            return Result.Failure<CertificateSigningRequest>($"The certificate signing request is {der.Length} bytes, more than any real request ({MaxDerLength} at most).");
        }

        if (der[0] != 0x30)
        {
            return Result.Failure<CertificateSigningRequest>("The data is not a DER certificate signing request (PKCS#10).");
        }

        var bytes = der.ToArray();
        if (ParseErrors.NestsTooDeeply(bytes))
        {
            return Result.Failure<CertificateSigningRequest>("The certificate signing request nests its structure deeper than any real one; it was refused unread.");
        }

        Pkcs10CertificationRequest parsed;
        try
        {
            parsed = new Pkcs10CertificationRequest(bytes);
            if (ParseErrors.NestsTooDeeply(parsed.GetRequestedExtensions()))
            {
                return Result.Failure<CertificateSigningRequest>("An extension in the certificate signing request nests deeper than any real one; it was refused unread.");
            }

            if (!parsed.GetDerEncoded().AsSpan().SequenceEqual(bytes))
            {
                return Result.Failure<CertificateSigningRequest>("The certificate signing request has trailing data or a non-DER encoding.");
            }
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return Result.Failure<CertificateSigningRequest>("The certificate signing request is damaged or is not a PKCS#10 request.");
        }

        try
        {
            var info = parsed.GetCertificationRequestInfo();
            if (!SignatureVerifier.Verify(parsed.SignatureAlgorithm, info.SubjectPublicKeyInfo.GetDerEncoded(), info.GetDerEncoded(), parsed.GetSignatureOctets()))
            {
                return Result.Failure<CertificateSigningRequest>("The certificate signing request's signature does not verify: it was altered or damaged after it was made.");
            }
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return Result.Failure<CertificateSigningRequest>("The certificate signing request's key or signature cannot be read (unsupported or damaged).");
        }

        try
        {
            var (sans, unsupported, ignored) = ReadExtensions(parsed);
            return Result.Success(new CertificateSigningRequest(bytes, parsed, sans, unsupported, ignored));
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return Result.Failure<CertificateSigningRequest>("The certificate signing request's extensions are damaged.");
        }
    }

    private static (IReadOnlyList<SubjectAlternativeName>, IReadOnlyList<string>, IReadOnlyList<RequestedExtension>) ReadExtensions(
        Pkcs10CertificationRequest request)
    {
        var extensions = request.GetRequestedExtensions();
        if (extensions is null)
        {
            return ([], [], []);
        }

        IReadOnlyList<SubjectAlternativeName> sans = [];
        IReadOnlyList<string> unsupported = [];
        var ignored = new List<RequestedExtension>();
        foreach (var oid in extensions.ExtensionOids)
        {
            var extension = extensions.GetExtension(oid);
            if (oid.Equals(X509Extensions.SubjectAlternativeName))
            {
                sans = CertificateExtensions.FromGeneralNames(GeneralNames.GetInstance(extension.GetParsedValue()), out unsupported);
            }
            else
            {
                ignored.Add(new RequestedExtension(oid.Id, ExtensionNames.GetValueOrDefault(oid.Id, "unknown extension"), extension.IsCritical));
            }
        }

        return (sans, unsupported, ignored);
    }

    public override string ToString() => $"CSR for {SubjectText}";
}
