using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Lint;

namespace SynoCertPanel.Core.Listener;

/// <summary>
/// The checks before a certificate becomes the one the panel serves, each failure a sentence for the admin. The
/// panel's apply, the certificates page and `cert set-default` all run them, and so does every issuance that makes its
/// certificate the default at once (<see cref="CheckIssued"/>); the panel then loads the certificate into its TLS stack as
/// the last check (ListenerCertificate.Create).
/// </summary>
public static class ApplyPreflight
{
    /// <summary>
    /// <paramref name="adminHost"/> is the name the admin reached the panel by (null from the command line); the
    /// certificate must cover it unless <paramref name="confirmed"/>.
    /// </summary>
    public static Result<CertificateChain> Check(ServedCertificate served, string? adminHost, bool confirmed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(served);
        return Check(served.Leaf, served.Key, served.Chain, $"Certificate {served.CertificateId}", adminHost, confirmed, now);
    }

    /// <summary>
    /// The same checks for a certificate just issued that is to be stored as the default (`cert create --set-default`, a
    /// renewal taking the default's place, the wizards): it becomes the default by the rule `cert set-default` follows, or not at all.
    /// </summary>
    public static Result<CertificateChain> CheckIssued(IssuedCertificate issued, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(issued);
        return issued.Key is null
            ? Result.Failure<CertificateChain>("The new certificate cannot be the panel's certificate: its key is not held here")
            : Check(issued.Certificate, issued.Key, issued.Chain, "The new certificate", adminHost: null, confirmed: false, now);
    }

    private static Result<CertificateChain> Check(Certificate leaf, PrivateKey key, IReadOnlyList<Certificate> stored, string who, string? adminHost,
        bool confirmed, DateTimeOffset now)
    {
        var problem = !leaf.Matches(key) ? "the key stored with it does not match its public key"
            : !leaf.IsValidAt(now) ? $"it is not valid now (valid {leaf.NotBefore:yyyy-MM-dd HH:mm} to {leaf.NotAfter:yyyy-MM-dd HH:mm} UTC)"
            : leaf.IsCertificateAuthority ? "it is a CA certificate, not a server certificate"
            // Apple requires serverAuth in the EKU of TLS server certificates (support.apple.com/HT210176), so absent counts as missing.
            : !leaf.HasServerAuth ? "it is not allowed for TLS servers (its extended key usage lacks serverAuth)"
            : null;
        if (problem is not null)
        {
            return Refuse(who, problem);
        }

        var chain = ChainBuilder.Build(leaf, stored);
        if (!chain.IsSuccess)
        {
            return Refuse(who, $"its chain does not build: {chain.Error}");
        }

        // The lint sees the root when it is known (stored with the certificate, as for everything a CA held here issues):
        // without it every chain would look cut short of its root.
        var report = CompatibilityLint.Check(leaf, chain.Value.Issuers, new LintOptions { Now = now, Host = confirmed ? null : adminHost });
        var errors = report.Findings.Where(f => f.Severity == LintSeverity.Error).ToList();
        if (errors.Count == 1 && errors[0].RuleId == "e_sub_cert_host_not_covered")
        {
            return Refuse(who, $"{errors[0].Message} You are using the panel under that name, so your browser would refuse the panel after the change. "
                + "Confirm to apply it anyway if you will reach the panel by one of its names.");
        }

        if (errors.Count > 0)
        {
            return Refuse(who, "clients would reject it: " + string.Join(" ", errors.Select(e => e.Message)));
        }

        var warnings = chain.Warnings.Concat(report.Findings.Where(f => f.Severity == LintSeverity.Warning).Select(f => f.Message)).ToList();
        return Result.Success(chain.Value, warnings);
    }

    private static Result<CertificateChain> Refuse(string who, string problem) =>
        Result.Failure<CertificateChain>($"{who} cannot be the panel's certificate: {problem}");
}
