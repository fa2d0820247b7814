using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace SynoCertPanel.Pki.Certificates;

/// <summary>
/// RFC 5280 §4.2: a client MUST reject a certificate holding a critical extension it does not process. The set
/// below is what every verifier the lint speaks for processes (OpenSSL's X509_supported_extension is the
/// narrowest; it refuses even a critical key identifier or AIA with "unhandled critical extension").
/// </summary>
public static class CriticalExtensions
{
    private static readonly HashSet<string> Processed =
    [
        X509Extensions.BasicConstraints.Id,
        X509Extensions.KeyUsage.Id,
        X509Extensions.ExtendedKeyUsage.Id,
        X509Extensions.SubjectAlternativeName.Id,
        X509Extensions.NameConstraints.Id,
        X509Extensions.CertificatePolicies.Id,
        X509Extensions.PolicyMappings.Id,
        X509Extensions.PolicyConstraints.Id,
        X509Extensions.InhibitAnyPolicy.Id,
        X509Extensions.CrlDistributionPoints.Id,
    ];

    /// <summary>The OIDs of the critical extensions clients would refuse, in certificate order.</summary>
    internal static IReadOnlyList<string> Unprocessed(BcCertificate certificate)
    {
        var extensions = certificate.CertificateStructure.TbsCertificate.Extensions;
        return extensions is null
            ? []
            : extensions.ExtensionOids.Where(oid => extensions.GetExtension(oid).IsCritical && !Processed.Contains(oid.Id)).Select(oid => oid.Id).ToList();
    }

    /// <summary>Why clients refuse <paramref name="certificate"/> (named <paramref name="name"/> in the sentence), or null.</summary>
    public static string? Problem(Certificate certificate, string name)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var oids = certificate.UnprocessedCriticalExtensions;
        return oids.Count == 0
            ? null
            : $"{name} marks {(oids.Count == 1 ? "the extension" : "the extensions")} {string.Join(", ", oids)} critical, which clients do not process: "
                + "RFC 5280 §4.2 makes every client reject it (openssl: \"unhandled critical extension\"). Have it reissued without that.";
    }
}
