using System.Text.RegularExpressions;

namespace SynoCertPanel.Web.Tests.Support;

/// <summary>
/// Conventions of the Razor sources that keep a class of defects out: a parameter given a field as `Error="_signError"`
/// compiles, and for a string parameter it passes the field's name as text, so fields are always written `@_field`.
/// </summary>
public sealed partial class RazorSourceTests
{
    [Fact]
    public void RazorAttributes_FieldValues_AreWrittenWithAt()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.razor", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(sources);

        var bare = sources
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, number: index + 1)))
            .Where(entry => BareFieldAttribute().IsMatch(entry.line))
            .Select(entry => $"{Path.GetRelativePath(RepositoryRoot.Path, entry.file)}:{entry.number}: {entry.line.Trim()}")
            .ToList();

        Assert.True(bare.Count == 0, "Write field values with @ (a string parameter would receive the name as text):" + Environment.NewLine
            + string.Join(Environment.NewLine, bare));
    }

    [Fact]
    public void RazorSources_NoInlineScript_TheContentSecurityPolicyWouldBlockIt()
    {
        var inline = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, number: index + 1)))
            .Where(entry => InlineScript().IsMatch(entry.line))
            .Select(entry => $"{Path.GetRelativePath(RepositoryRoot.Path, entry.file)}:{entry.number}: {entry.line.Trim()}")
            .ToList();

        Assert.True(inline.Count == 0, "script-src 'self' blocks inline scripts (an import map is one):" + Environment.NewLine
            + string.Join(Environment.NewLine, inline));
    }

    [Fact]
    public void RazorSources_EveryAlert_HasARoleForScreenReaders()
    {
        var missing = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => Alert().Matches(File.ReadAllText(file)).Select(m => (file, tag: m.Value)))
            .Where(entry => !entry.tag.Contains("role=\"status\"", StringComparison.Ordinal) && !entry.tag.Contains("role=\"alert\"", StringComparison.Ordinal))
            .Select(entry => $"{Path.GetRelativePath(RepositoryRoot.Path, entry.file)}: {entry.tag}")
            .ToList();

        Assert.True(missing.Count == 0, "Give each MudAlert role=\"status\" (news) or role=\"alert\" (a problem):" + Environment.NewLine
            + string.Join(Environment.NewLine, missing));
    }

    [Theory]
    [InlineData("<ImportMap />", true)]
    [InlineData("<script>alert(1)</script>", true)]
    [InlineData("<script type=\"importmap\">", true)]
    [InlineData("<script src=\"@Assets[\"panel.js\"]\"></script>", false)]
    public void InlineScript_Pattern_FindsScriptsWithoutSource(string line, bool found) => Assert.Equal(found, InlineScript().IsMatch(line));

    [Theory]
    [InlineData("<SigningReviewStep Error=\"_signError\" />", true)]
    [InlineData("<SignedCertificateResult Actor=\"_actor\" />", true)]
    [InlineData("<SigningReviewStep Error=\"@_signError\" />", false)]
    [InlineData("<MudTable @ref=\"_table\" />", false)]
    [InlineData("<MudTextField @bind-Value=\"_search\" />", false)]
    [InlineData("<MudLink Target=\"_blank\" />", false)]
    public void BareFieldAttribute_Pattern_FindsOnlyBareFields(string line, bool found) =>
        Assert.Equal(found, BareFieldAttribute().IsMatch(line));

    [GeneratedRegex(@"(?<![@\w-])[A-Za-z]+=""_(?!blank""|self""|top""|parent"")[a-z][A-Za-z0-9]*""")]
    private static partial Regex BareFieldAttribute();

    [GeneratedRegex(@"<ImportMap\b|<script(?![^>]*\bsrc=)[^>]*>")]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<MudAlert\b[^>]*>", RegexOptions.Singleline)]
    private static partial Regex Alert();
}
