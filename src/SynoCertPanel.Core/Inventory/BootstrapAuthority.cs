using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// The root CA the panel makes for itself on its first start ("SynoCertPanel CA (host)"), so it can serve HTTPS
/// before anyone has made a CA. It is temporary: the operator's own CAs come first everywhere, and it can be retired
/// once another certificate is served. Recognised by its subject (no column marks it), which also finds the ones
/// made before this rule existed; an operator would have to type this exact CN and organisation to be mistaken for it.
/// </summary>
public static class BootstrapAuthority
{
    public const string Organization = "SynoCertPanel";

    /// <summary>What the lists show next to it, and next to the server certificate made with it.</summary>
    public const string Label = "Temporary (panel start-up)";

    private const string CommonNamePrefix = "SynoCertPanel CA (";

    /// <summary>Its common name, with the machine's name cut to 30 characters (a CN may hold 64).</summary>
    public static string CommonNameFor(string machineName)
    {
        ArgumentNullException.ThrowIfNull(machineName);
        return $"{CommonNamePrefix}{machineName[..Math.Min(machineName.Length, 30)]})";
    }

    public static bool HasBootstrapName(string? commonName) =>
        commonName is not null && commonName.StartsWith(CommonNamePrefix, StringComparison.Ordinal) && commonName.EndsWith(')');

    /// <summary>A self-issued CA certificate with the start-up root's subject.</summary>
    public static bool Is(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.IsSelfIssued && HasBootstrapName(certificate.Subject.CommonName) && certificate.Subject.Organization == Organization;
    }

    /// <summary>A row of the certificate list that is the start-up root, or the server certificate made with it.</summary>
    public static bool IsTemporary(CertificateSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.Description == Listener.ServedCertificateStore.SelfSignedDescription
            || (summary.IsCertificateAuthority && HasBootstrapName(summary.CommonName)
                && summary.Issuer.Contains("O=" + Organization, StringComparison.Ordinal));
    }
}
