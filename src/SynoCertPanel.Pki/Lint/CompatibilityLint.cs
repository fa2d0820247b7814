using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Lint.Rules;

namespace SynoCertPanel.Pki.Lint;

/// <summary>
/// Checks a certificate and its chain against what Chrome, Apple, Firefox, Windows, Android and OpenSSL accept
/// from a private root (../shared/design/TRUST-RULES.md). No single verifier enforces all of these, which is
/// why the panel has its own lint. Broken rules are findings in the report, never exceptions.
/// </summary>
public static class CompatibilityLint
{
    private static readonly IReadOnlyList<LintRule> Rules =
    [
        .. ServerNameRules.All,
        .. ServerUsageRules.All,
        .. ValidityRules.All,
        .. KeyAndSignatureRules.All,
        .. EncodingRules.All,
        .. AuthorityRules.All,
        .. ChainRules.All,
    ];

    /// <summary>Every rule id the lint can report.</summary>
    public static IReadOnlyList<string> RuleIds { get; } = Rules.Select(r => r.Id).ToList();

    /// <summary>
    /// Lints <paramref name="certificate"/> with the chain it is served with (issuers, nearest first; the root may
    /// be left out). A CA certificate (CA:TRUE, no serverAuth, no DNS or IP name) is linted as a CA; anything
    /// else as a TLS server certificate.
    /// </summary>
    public static LintReport Check(Certificate certificate, IReadOnlyList<Certificate> chain, LintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return LooksLikeAuthority(certificate)
            ? CheckAuthority(certificate, chain, options)
            : Run(CertificateRole.Server, certificate, chain, options);
    }

    /// <summary>
    /// Lints a certificate meant to sign others (before importing or using it as a CA), even one that lacks
    /// CA:TRUE; <paramref name="chainAbove"/> holds its issuers, nearest first (empty for a root).
    /// </summary>
    public static LintReport CheckAuthority(Certificate authority, IReadOnlyList<Certificate> chainAbove, LintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return Run(CertificateRole.Authority, authority, chainAbove, options);
    }

    /// <summary>
    /// `openssl req -x509` marks self-signed server certificates CA:TRUE, so CA:TRUE alone does not make a CA:
    /// one that names a host or allows serverAuth is meant for a server and gets the server rules.
    /// </summary>
    private static bool LooksLikeAuthority(Certificate certificate) =>
        certificate.IsCertificateAuthority && !certificate.HasServerAuth
        && !certificate.SubjectAlternativeNames.Any(n => n.Kind is Names.SanKind.Dns or Names.SanKind.IpAddress);

    private static LintReport Run(CertificateRole role, Certificate certificate, IReadOnlyList<Certificate> chain, LintOptions? options)
    {
        ArgumentNullException.ThrowIfNull(chain);
        IReadOnlyList<Certificate> path = [certificate, .. chain];
        var server = role == CertificateRole.Server ? certificate : null;
        var firstAuthority = role == CertificateRole.Server ? 1 : 0;
        var findings = new List<LintFinding>();
        for (var i = 0; i < path.Count; i++)
        {
            var authoritiesBelow = path.Take(i).Skip(firstAuthority).Count(c => !c.IsSelfIssued);
            var subject = new LintSubject(path[i], i == 0 ? role : CertificateRole.Authority, i + 1 < path.Count ? path[i + 1] : null,
                server, authoritiesBelow, i == path.Count - 1, options ?? new LintOptions());
            foreach (var rule in Rules.Where(r => r.AppliesTo(subject)))
            {
                if (rule.Check(subject) is { } message)
                {
                    findings.Add(new LintFinding(rule.Id, rule.Severity, message, rule.RejectedBy, rule.Source, subject.Certificate));
                }
            }
        }

        return new LintReport(findings);
    }
}
