using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Lint;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Lint;

/// <summary>What the engine issues with its defaults must pass its own lint: no errors, no warnings.</summary>
public class IssuerDefaultsLintTests
{
    public static TheoryData<KeyAlgorithm> KeyTypes() => new(KeyAlgorithms.All);

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void Check_RootAndServerFromIssuerDefaults_HaveNoErrorsOrWarnings(KeyAlgorithm algorithm)
    {
        var root = TestPki.CreateRoot($"Defaults Root {algorithm}", algorithm);
        var leaf = new CertificateIssuer().IssueLeaf(root, new LeafOptions
        {
            Subject = DistinguishedName.Create("nas.home.arpa").Value,
            SubjectAlternativeNames = TestPki.Names("192.168.1.10"),
            KeyAlgorithm = algorithm,
        }).Value;
        var options = new LintOptions { Now = DateTimeOffset.UtcNow, Host = "192.168.1.10" };

        var leafReport = CompatibilityLint.Check(leaf.Certificate, leaf.Chain, options);
        var rootReport = CompatibilityLint.Check(root.Certificate, [], options);

        AssertClean(leafReport);
        AssertClean(rootReport);
        Assert.True(leafReport.Accepts(TlsClients.All));
        Assert.Contains(rootReport.Findings, f => f.RuleId == "n_ca_name_constraints_missing");
    }

    [Fact]
    public void Check_ServerBelowIssuedIntermediateWithHomeLabConstraints_HasNoFindings()
    {
        var issuer = new CertificateIssuer();
        var root = issuer.CreateRootCa(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Defaults Root With Intermediates").Value,
            AllowIntermediates = true,
            NameConstraints = Pki.Profiles.NameConstraints.HomeLab,
        }).Value;
        var rootCa = CertificateAuthority.Create(root.Certificate, root.Key!).Value;
        var intermediate = issuer.CreateIntermediateCa(rootCa, new IntermediateCaOptions
        {
            Subject = DistinguishedName.Create("Defaults Issuing CA").Value,
        }).Value;
        var issuing = CertificateAuthority.Create(intermediate.Certificate, intermediate.Key!, intermediate.Chain).Value;
        var leaf = TestPki.IssueServer(issuing, "nas.home.arpa", "*.nas.home.arpa", "192.168.1.10");

        var report = CompatibilityLint.Check(leaf.Certificate, leaf.Chain, new LintOptions { Now = DateTimeOffset.UtcNow, Host = "dsm.nas.home.arpa" });

        Assert.Empty(report.Findings);
    }

    private static void AssertClean(LintReport report) =>
        Assert.False(report.HasErrors || report.HasWarnings, report.ToString());
}
