using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Lint;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// The compatibility lint as the last step of every issuance: a certificate some client would refuse is
/// not stored; warnings travel back to the person with the result.
/// </summary>
internal static class IssuanceCheck
{
    public static Result<IssuedCertificate> Lint(Result<IssuedCertificate> issued, TimeProvider time)
    {
        if (!issued.IsSuccess)
        {
            return issued;
        }

        // The lint's rules are those of TLS servers and CAs; a client certificate (clientAuth only) is not one.
        var certificate = issued.Value.Certificate;
        if (certificate.ExtendedKeyUsageOids is not null && !certificate.HasServerAuth && !certificate.IsCertificateAuthority)
        {
            return issued;
        }

        var report = CompatibilityLint.Check(issued.Value.Certificate, issued.Value.Chain, new LintOptions { Now = time.GetUtcNow() });
        if (report.HasErrors)
        {
            var errors = report.Findings.Where(f => f.Severity == LintSeverity.Error).Select(f => f.Message);
            return Result.Failure<IssuedCertificate>($"The certificate would be rejected by {report.RejectedBy}: {string.Join(" ", errors)}");
        }

        var warnings = report.Findings.Where(f => f.Severity == LintSeverity.Warning).Select(f => f.Message);
        return Result.Success(issued.Value, [.. issued.Warnings, .. warnings]);
    }
}
