using System.CommandLine;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Cli;

/// <summary>Options shared by several commands, parsed by the engine's own rules so messages match the UI's.</summary>
internal static class CliOptions
{
    public const string EmptyName = "--san was given an empty name; give a DNS name or IP address, or leave --san out.";

    public static Option<string> CommonName(bool required = true) => new("--cn")
    {
        Description = "Common name (for a server: its main host name).",
        Required = required,
    };

    public static Option<string[]> Names() => new("--san")
    {
        Description = "A DNS name or IP address to certify (repeat, or separate with commas).",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string?> Key() => new("--key")
    {
        Description = "Key type: rsa2048, rsa3072, rsa4096, p256 or p384.",
    };

    public static Option<int?> Days() => new("--days") { Description = "Validity in days." };

    public static Result<KeyAlgorithm> ParseKey(string? text, KeyAlgorithm fallback) =>
        string.IsNullOrWhiteSpace(text) ? Result.Success(fallback) : KeyAlgorithms.Parse(text);

    /// <summary>
    /// The names of every --san, split at commas. An empty one (--san '', a stray comma) is refused: dropping it would
    /// issue a certificate for fewer names than the command line seems to ask for, and `csr sign --san ''` for the CN alone.
    /// </summary>
    public static Result<IReadOnlyList<SubjectAlternativeName>> ParseNames(string[]? values)
    {
        var names = SplitNames(values);
        return names.Contains(string.Empty)
            ? Result.Failure<IReadOnlyList<SubjectAlternativeName>>(EmptyName)
            : SanParser.ParseAll(names);
    }

    /// <summary>The names of every --san as typed, split at commas (a remote panel parses them itself, by the same rules).</summary>
    public static List<string> SplitNames(string[]? values) => [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries))];
}
