namespace SynoCertPanel.Pki.Lint;

/// <summary>Whether one client accepts the certificate, and the rules that make it refuse.</summary>
public sealed record ClientVerdict(TlsClients Client, bool Accepts, IReadOnlyList<string> RejectingRuleIds);

/// <summary>The outcome of a lint: every finding, and per client whether it would accept the certificate.</summary>
public sealed class LintReport
{
    private static readonly TlsClients[] EachClient =
        [TlsClients.Chrome, TlsClients.Apple, TlsClients.Firefox, TlsClients.Windows, TlsClients.Android, TlsClients.OpenSsl];

    public LintReport(IReadOnlyList<LintFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        Findings = findings;
        RejectedBy = findings.Aggregate(TlsClients.None, (all, f) => all | f.RejectedBy);
        Verdicts = EachClient
            .Select(c => new ClientVerdict(c, !RejectedBy.HasFlag(c),
                findings.Where(f => f.RejectedBy.HasFlag(c)).Select(f => f.RuleId).Distinct().ToList()))
            .ToList();
    }

    public IReadOnlyList<LintFinding> Findings { get; }

    public bool HasErrors => Findings.Any(f => f.Severity == LintSeverity.Error);

    public bool HasWarnings => Findings.Any(f => f.Severity == LintSeverity.Warning);

    /// <summary>Every client at least one finding breaks.</summary>
    public TlsClients RejectedBy { get; }

    public IReadOnlyList<ClientVerdict> Verdicts { get; }

    public bool Accepts(TlsClients client) => (RejectedBy & client) == TlsClients.None;

    public IEnumerable<LintFinding> FindingsFor(string ruleId) => Findings.Where(f => f.RuleId == ruleId);

    public override string ToString() => Findings.Count == 0 ? "No findings" : string.Join(Environment.NewLine, Findings);
}
