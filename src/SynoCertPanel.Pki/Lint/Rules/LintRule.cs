namespace SynoCertPanel.Pki.Lint.Rules;

internal enum RuleScope
{
    /// <summary>The server (leaf) certificate being linted.</summary>
    Server,

    /// <summary>A CA: the one being linted on its own, or any certificate above the first in the chain.</summary>
    Authority,

    Any,
}

/// <summary>
/// One check, as data: an id, what breaking it costs, and a tiny validator that returns a message for a person
/// when the rule is broken (null when it holds). Modelled on step-ca's sign options: many small validators.
/// </summary>
internal sealed record LintRule(string Id, LintSeverity Severity, TlsClients RejectedBy, string Source, RuleScope Scope,
    Func<LintSubject, string?> Check)
{
    public bool AppliesTo(LintSubject subject) => Scope switch
    {
        RuleScope.Server => subject.Role == CertificateRole.Server,
        RuleScope.Authority => subject.Role == CertificateRole.Authority,
        _ => true,
    };
}
