using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Lint;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// What an issuance would produce: the certificate built with a throw-away key of the chosen type, and the
/// compatibility lint of it. Shown before the admin confirms; nothing is stored and the key is discarded.
/// </summary>
public sealed record PlannedCertificate(Certificate Certificate, IReadOnlyList<Certificate> Chain, LintReport Report, IReadOnlyList<string> Warnings);

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

        var report = CompatibilityLint.Check(draft.Value.Certificate, draft.Value.Chain, new LintOptions { Now = time.GetUtcNow(), Host = host });
        return Result.Success(new PlannedCertificate(draft.Value.Certificate, draft.Value.Chain, report, draft.Warnings));
    }
}
