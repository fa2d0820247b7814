using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Lint;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// What an issuance would produce: the certificate built with a throw-away key of the chosen type, and the
/// compatibility lint of it. Shown before the admin confirms; nothing is stored and the key is discarded.
/// <see cref="UncoveredHost"/> is the name the admin reaches the panel by, when the certificate is to be served and
/// does not cover it: kept apart from the lint, since whether clients accept the certificate does not depend on the
/// address in this browser.
/// </summary>
public sealed record PlannedCertificate(Certificate Certificate, IReadOnlyList<Certificate> Chain, LintReport Report, IReadOnlyList<string> Warnings,
    string? UncoveredHost = null);

internal static class IssuancePreview
{
    /// <param name="draft">The certificate as the real operation would build it.</param>
    /// <param name="time">The clock for the lint's expiry checks.</param>
    /// <param name="host">The name the admin reaches the panel by, when the certificate is to be served; null skips that check.</param>
    public static Result<PlannedCertificate> Plan(Result<IssuedCertificate> draft, TimeProvider time, string? host)
    {
        if (!draft.IsSuccess)
        {
            return Result.Failure<PlannedCertificate>(draft.Error!);
        }

        var certificate = draft.Value.Certificate;
        var report = CompatibilityLint.Check(certificate, draft.Value.Chain, new LintOptions { Now = time.GetUtcNow() });
        var uncovered = host is not null && !certificate.Covers(host) ? host : null;
        return Result.Success(new PlannedCertificate(certificate, draft.Value.Chain, report, draft.Warnings, uncovered));
    }
}
