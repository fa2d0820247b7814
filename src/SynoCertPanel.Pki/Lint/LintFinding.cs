using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Pki.Lint;

/// <summary>
/// One broken rule. <see cref="RuleId"/> is stable (zlint-style: e_ error, w_ warning, n_ notice) so the UI
/// and tests can key on it; <see cref="Message"/> is for a person; <see cref="Source"/> says why the rule exists.
/// </summary>
public sealed record LintFinding(
    string RuleId,
    LintSeverity Severity,
    string Message,
    TlsClients RejectedBy,
    string Source,
    Certificate Certificate)
{
    public override string ToString() => $"{Severity} {RuleId}: {Message}";
}
