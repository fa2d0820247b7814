using SynoCertPanel.Pki.Lint;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Lint;

public class CompatibilityLintTests
{
    [Theory]
    [MemberData(nameof(LintCases.Names), MemberType = typeof(LintCases))]
    public void Check_CertificateBreakingOneRule_ReportsThatRuleWithItsClients(string name)
    {
        var lintCase = LintCases.All[name];

        var report = lintCase.Make().Lint();

        var finding = Assert.Single(report.FindingsFor(lintCase.RuleId));
        Assert.Equal(lintCase.Severity, finding.Severity);
        Assert.Equal(lintCase.RejectedBy, finding.RejectedBy);
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
        Assert.False(string.IsNullOrWhiteSpace(finding.Source));
        var others = report.Findings.Where(f => f.Severity != LintSeverity.Info || f.RuleId == lintCase.RuleId)
            .Select(f => f.RuleId).Where(id => id != lintCase.RuleId).Order().ToList();
        Assert.Equal(lintCase.AlsoFires.Order().ToList(), others);
    }

    [Theory]
    [MemberData(nameof(LintCases.Names), MemberType = typeof(LintCases))]
    public void Check_CertificateBreakingOneRule_VerdictRejectsExactlyThoseClients(string name)
    {
        var lintCase = LintCases.All[name];

        var report = lintCase.Make().Lint();

        var expected = report.Findings.Aggregate(TlsClients.None, (all, f) => all | f.RejectedBy);
        Assert.True(report.RejectedBy.HasFlag(lintCase.RejectedBy));
        Assert.Equal(expected, report.RejectedBy);
        foreach (var verdict in report.Verdicts)
        {
            Assert.Equal(!expected.HasFlag(verdict.Client), verdict.Accepts);
            Assert.Equal(verdict.Accepts, report.Accepts(verdict.Client));
            Assert.Equal(!verdict.Accepts, verdict.RejectingRuleIds.Count > 0);
        }

        Assert.Equal(lintCase.Severity == LintSeverity.Error, report.HasErrors);
    }

    [Fact]
    public void RuleIds_EveryRule_HasANamedCase()
    {
        var covered = LintCases.All.Values.Select(c => c.RuleId).ToHashSet();

        Assert.All(CompatibilityLint.RuleIds, id => Assert.Contains(id, covered));
        Assert.Equal(CompatibilityLint.RuleIds.Count, CompatibilityLint.RuleIds.Distinct().Count());
    }

    [Fact]
    public void RuleIds_Prefix_MatchesSeverity()
    {
        foreach (var lintCase in LintCases.All.Values)
        {
            var expected = lintCase.Severity switch
            {
                LintSeverity.Error => "e_",
                LintSeverity.Warning => "w_",
                _ => "n_",
            };
            Assert.StartsWith(expected, lintCase.RuleId, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_GoodLeafBelowConstrainedRoot_ReportsNothing()
    {
        var run = LintCases.LeafUnder(LintCases.GoodConstrainedRoot, new TestCertificateSpec(),
            LintCases.At with { Host = "nas.home.arpa" });

        var report = run.Lint();

        Assert.Empty(report.Findings);
        Assert.True(report.Accepts(TlsClients.All));
        Assert.All(report.Verdicts, v => Assert.True(v.Accepts));
    }

    [Fact]
    public void Check_GoodLeafBelowIntermediate_ReportsOnlyTheRootNote()
    {
        var run = LintCases.LeafBelowIntermediate(TestCertificateSpec.Intermediate);

        var report = run.Lint();

        Assert.Equal(["n_ca_name_constraints_missing"], report.Findings.Select(f => f.RuleId));
        Assert.Equal(run.Chain[^1], report.Findings[0].Certificate);
        Assert.False(report.HasErrors);
        Assert.False(report.HasWarnings);
    }

    [Fact]
    public void Check_Sha1Intermediate_NamesTheIntermediate()
    {
        var run = LintCases.LeafBelowIntermediate(TestCertificateSpec.Intermediate with { Sha1Signature = true });

        var finding = Assert.Single(run.Lint().FindingsFor("e_signature_hash_weak"));

        Assert.Equal(run.Chain[0], finding.Certificate);
        Assert.Contains("Lint Test Issuing CA", finding.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-1", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CaCertificate_AppliesCaRules()
    {
        var root = TestCertificate.Build(TestCertificateSpec.Root with { CommonName = null }).Certificate;

        var report = CompatibilityLint.Check(root, [], LintCases.At);

        Assert.Single(report.FindingsFor("e_ca_common_name_missing"));
        Assert.DoesNotContain(report.Findings, f => f.RuleId.StartsWith("e_sub_cert", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_SelfSignedServerCertificateWithCaTrue_GetsServerRules()
    {
        var certificate = TestCertificate.Build(new TestCertificateSpec
        {
            BasicConstraints = new Org.BouncyCastle.Asn1.X509.BasicConstraints(true),
            ExtendedKeyUsages = null,
        }).Certificate;

        var report = CompatibilityLint.Check(certificate, [], LintCases.At);

        Assert.Single(report.FindingsFor("e_sub_cert_basic_constraints_ca_true"));
        Assert.Single(report.FindingsFor("e_sub_cert_eku_missing"));
        Assert.Empty(report.FindingsFor("w_chain_root_missing"));
    }

    [Fact]
    public void Check_WithoutTime_SkipsExpiry()
    {
        var run = LintCases.All["expired leaf"].Make() with { Options = new LintOptions() };

        var report = run.Lint();

        Assert.Empty(report.FindingsFor("e_certificate_expired"));
    }

    [Fact]
    public void Check_AppleOnlyRule_OtherClientsStillAccept()
    {
        var report = LintCases.All["900-day leaf"].Make().Lint();

        Assert.False(report.Accepts(TlsClients.Apple));
        Assert.True(report.Accepts(TlsClients.Chrome | TlsClients.Firefox | TlsClients.Windows | TlsClients.Android | TlsClients.OpenSsl));
        Assert.Equal(["e_sub_cert_validity_over_825_days"], report.Verdicts.Single(v => v.Client == TlsClients.Apple).RejectingRuleIds);
    }
}
