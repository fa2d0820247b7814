using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Support;

/// <summary>
/// Redocly CLI (npm <c>@redocly/cli</c>), an OpenAPI validator written apart from ASP.NET Core, as scripts/test.sh installs it
/// into <c>.tools/npm</c> of the checkout (ignored by git).
/// </summary>
internal static class RedoclyCli
{
    public const string Version = "2.77.0";

    public static string Program => Path.Combine(RepositoryRoot.Path, ".tools", "npm", "node_modules", ".bin", "redocly");

    /// <summary>The rules: Redocly's "recommended" set, with what this API decides otherwise (see the file).</summary>
    public static string Config => Path.Combine(RepositoryRoot.Path, "tests", "SynoCertPanel.Web.Tests", "Api", "redocly.yaml");

    /// <summary><c>redocly lint</c> on a file; exit code 0 means no error (warnings are printed but do not fail it).</summary>
    public static Task<ExternalProcess.Outcome> LintAsync(string file)
    {
        Assert.True(File.Exists(Program), $"{Program} is missing: scripts/test.sh installs @redocly/cli@{Version} there (npm install --prefix .tools/npm).");
        return ExternalProcess.RunAsync(Program, ["lint", file, "--config", Config, "--format", "stylish"],
            new Dictionary<string, string>
            {
                // The tests run offline and print nothing but the findings.
                ["REDOCLY_TELEMETRY"] = "off",
                ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
                ["NO_COLOR"] = "1",
            },
            timeout: TimeSpan.FromSeconds(120));
    }
}
