using SynoCertPanel.Web.Cli;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>Runs the command line in this process, capturing what it writes.</summary>
internal static class CliRun
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PanelCommandLine.RunAsync(args, output, error, TimeProvider.System);
        return (exit, output.ToString(), error.ToString());
    }
}
