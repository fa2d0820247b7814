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

        var report = Report(issued.Value, time);
        if (report is null)
        {
            return issued;
        }

        var refusal = Refusal(report);
        if (refusal is not null)
        {
            return Result.Failure<IssuedCertificate>(refusal);
        }

        var warnings = report.Findings.Where(f => f.Severity == LintSeverity.Warning).Select(f => f.Message);
        return Result.Success(issued.Value, [.. issued.Warnings, .. warnings]);
    }

    /// <summary>
    /// When what was issued is to be the panel's certificate straight away, the rule `cert set-default` follows
    /// (<see cref="Listener.ApplyPreflight"/>): no way of making a certificate leaves a default that command would refuse.
    /// </summary>
    public static Result<IssuedCertificate> ForDefault(Result<IssuedCertificate> issued, bool setAsDefault, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!issued.IsSuccess || !setAsDefault)
        {
            return issued;
        }

        var ready = Listener.ApplyPreflight.CheckIssued(issued.Value, time.GetUtcNow());
        return ready.IsSuccess ? issued : Result.Failure<IssuedCertificate>(ready.Error!);
    }

    /// <summary>The lint of what was issued; null for a client certificate, which the lint has no rules for.</summary>
    public static LintReport? Report(IssuedCertificate issued, TimeProvider time)
    {
        // The lint's rules are those of TLS servers and CAs; a client certificate (clientAuth only) is not one.
        var certificate = issued.Certificate;
        if (certificate.ExtendedKeyUsageOids is not null && !certificate.HasServerAuth && !certificate.IsCertificateAuthority)
        {
            return null;
        }

        return CompatibilityLint.Check(issued.Certificate, issued.Chain, new LintOptions { Now = time.GetUtcNow() });
    }

    /// <summary>Why the certificate is not stored, or null when no client refuses it.</summary>
    public static string? Refusal(LintReport report)
    {
        if (!report.HasErrors)
        {
            return null;
        }

        var errors = report.Findings.Where(f => f.Severity == LintSeverity.Error).Select(f => f.Message);
        return $"The certificate would be rejected by {report.RejectedBy}: {string.Join(" ", errors)}";
    }
}
