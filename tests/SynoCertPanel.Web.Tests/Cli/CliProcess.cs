using System.Diagnostics;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>The built `synocertpanel.dll` (copied beside the test assembly) run as a separate process, as scripts run it.</summary>
internal static class CliProcess
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "synocertpanel.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => RunProgramAsync(StartInfo(args));

    public static Task<(int ExitCode, string Output, string Error)> RunToolAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return RunProgramAsync(start);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunProgramAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
