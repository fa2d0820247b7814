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

    /// <summary>A start from <see cref="StartInfo"/> with its own environment or working directory.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(ProcessStartInfo start) => RunProgramAsync(start);

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
        // Generous, because a loaded 2-core runner starves the processes; but a process that outlives it is killed,
        // so a test that caps how many run at once never has more running than its cap.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within 5 minutes.");
        }

        return (process.ExitCode, await output, await error);
    }
}
