using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// Runs axe-core on the page as it is now and fails on any violation of impact serious or critical, listing
/// rule, impact, element and help for each. A new page is covered with one line:
/// <c>await AxeCheck.AssertNoSeriousViolationsAsync(page, "Import wizard, step 2");</c>
/// </summary>
public static class AxeCheck
{
    private static readonly string[] FailingImpacts = ["serious", "critical"];

    /// <summary>
    /// Violations that cannot be fixed from the panel's markup, each one rule on one selector with its reason.
    /// Empty: every violation found so far was fixed in the product.
    /// </summary>
    private static readonly (string Rule, string SelectorPart, string Reason)[] KnownExceptions = [];

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string pageName)
    {
        ArgumentNullException.ThrowIfNull(page);
        var violations = await FindSeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{pageName} ({page.Url}) has {violations.Count} serious or critical accessibility violation(s):\n"
            + string.Join("\n", violations));
    }

    /// <summary>One line per failing element: rule id, impact, CSS target, help text and link.</summary>
    public static async Task<IReadOnlyList<string>> FindSeriousViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var result = await page.RunAxe();
        var lines = new List<string>();
        foreach (var rule in result.Violations.Where(v => FailingImpacts.Contains(v.Impact)))
        {
            foreach (var node in rule.Nodes)
            {
                var target = node.Target?.ToString() ?? "(no target)";
                if (KnownExceptions.Any(e => e.Rule == rule.Id && target.Contains(e.SelectorPart, StringComparison.Ordinal)))
                {
                    continue;
                }

                lines.Add(Describe(rule, node, target));
            }
        }

        return lines;
    }

    private static string Describe(AxeResultItem rule, AxeResultNode node, string target)
    {
        var text = new StringBuilder();
        text.Append(rule.Id).Append(" [").Append(rule.Impact).Append("] ").Append(target)
            .Append(": ").Append(rule.Help).Append(" (").Append(rule.HelpUrl).Append(')');
        foreach (var check in node.Any.Concat(node.All).Concat(node.None).Where(c => !string.IsNullOrWhiteSpace(c.Message)))
        {
            text.Append("\n    ").Append(check.Message.ReplaceLineEndings(" "));
        }

        text.Append("\n    ").Append(node.Html);
        return text.ToString();
    }
}
