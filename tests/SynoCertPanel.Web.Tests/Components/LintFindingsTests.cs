using Bunit;
using SynoCertPanel.Web.Components.Certificates;

namespace SynoCertPanel.Web.Tests.Components;

public sealed class LintFindingsTests : PanelComponentTest
{
    [Fact]
    public async Task Render_RootWithoutNameConstraints_SentenceInTheTextRuleIdOnlyInTheClosedDetails()
    {
        var seeded = await SeedAsync("nas1.home.arpa");
        var root = (await new SynoCertPanel.Core.Inventory.InventoryService(Storage, Time).GetAsync(seeded.AuthorityCertificateId)).Value;
        var report = root.Lint(Time.GetUtcNow());
        var finding = Assert.Single(report.Findings, f => f.RuleId == "n_ca_name_constraints_missing");

        var lint = Render<LintFindings>(p => p.Add(c => c.Report, report));

        var messages = lint.FindAll("[data-testid=finding-message]");
        Assert.Contains(messages, m => m.TextContent.Trim() == finding.Message);
        Assert.All(messages, m => Assert.DoesNotMatch("[a-z]_[a-z_]+_[a-z]", m.TextContent));
        var details = lint.FindAll("[data-testid=finding-details]");
        Assert.Equal(report.Findings.Count, details.Count);
        Assert.Contains(details, d => d.TextContent.Contains("n_ca_name_constraints_missing", StringComparison.Ordinal));
        Assert.All(details, d => Assert.Equal("DETAILS", d.TagName));
        Assert.All(details, d => Assert.False(d.HasAttribute("open")));
    }
}
