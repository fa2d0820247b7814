using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace SynoCertPanel.Pki.Certificates;

/// <summary>
/// RFC 5280 §4.2: a client MUST reject a certificate holding a critical extension it does not process. The set
/// below is what every verifier the lint speaks for processes (OpenSSL refuses even a critical key identifier or AIA
/// with "unhandled critical extension"; the few it processes beyond these, browsers do not).
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

    /// <summary>
    /// What OpenSSL processes beyond <see cref="Processed"/> (X509_supported_extension): a certificate marking one of these
    /// critical passes `openssl verify` while browsers refuse it, so the lint's verdict for OpenSSL must say so.
    /// </summary>
    private static readonly HashSet<string> ProcessedByOpenSslOnly =
    [
        "2.16.840.1.113730.1.1", // Netscape certificate type
        "1.3.6.1.5.5.7.48.1.5", // OCSP no-check
        "1.3.6.1.5.5.7.1.14", // proxy certificate information
        "1.3.6.1.5.5.7.1.7", // RFC 3779 IP address blocks
        "1.3.6.1.5.5.7.1.8", // RFC 3779 AS identifiers
    ];

    /// <summary>Why clients refuse <paramref name="certificate"/> (named <paramref name="name"/> in the sentence), or null.</summary>
    public static string? Problem(Certificate certificate, string name)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var oids = certificate.UnprocessedCriticalExtensions;
        return oids.Count == 0 ? null
            : oids.All(ProcessedByOpenSslOnly.Contains) ? BrowsersOnlySentence(oids, name)
            : EveryClientSentence(oids, name);
    }

    /// <summary>The critical extensions that OpenSSL refuses as well: every client rejects the certificate. Null when none.</summary>
    internal static string? EveryClientProblem(Certificate certificate, string name)
    {
        var oids = certificate.UnprocessedCriticalExtensions.Where(oid => !ProcessedByOpenSslOnly.Contains(oid)).ToList();
        return oids.Count == 0 ? null : EveryClientSentence(oids, name);
    }

    /// <summary>The critical extensions only OpenSSL processes: browsers reject the certificate, OpenSSL accepts it. Null when none.</summary>
    internal static string? BrowsersOnlyProblem(Certificate certificate, string name)
    {
        var oids = certificate.UnprocessedCriticalExtensions.Where(ProcessedByOpenSslOnly.Contains).ToList();
        return oids.Count == 0 ? null : BrowsersOnlySentence(oids, name);
    }

    private static string EveryClientSentence(IReadOnlyList<string> oids, string name) =>
        $"{name} marks {Extensions(oids)} critical, which clients do not process: "
        + "RFC 5280 §4.2 makes every client reject it (openssl: \"unhandled critical extension\"). Have it reissued without that.";

    private static string BrowsersOnlySentence(IReadOnlyList<string> oids, string name) =>
        $"{name} marks {Extensions(oids)} critical, which browsers do not process: RFC 5280 §4.2 makes them reject it "
        + "(OpenSSL processes it and accepts the certificate). Have it reissued without that.";

    private static string Extensions(IReadOnlyList<string> oids) =>
        $"{(oids.Count == 1 ? "the extension" : "the extensions")} {string.Join(", ", oids)}";
}
