using System.Diagnostics;

namespace SynoCertPanel.Pki.Tests.Support;

/// <summary>Runs the system openssl as an independent verifier of what the engine makes.</summary>
public static class OpenSsl
{

    public static Outcome Run(params string[] arguments) => Run(null, arguments);

    public static Outcome Run(byte[]? input, params string[] arguments) => ExternalTool.Run("openssl", input, arguments);
}

public static class ExternalTool
{
    public static Outcome Run(string program, byte[]? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.BaseStream.Write(input);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within 60 s.");
        }

        return new Outcome(process.ExitCode, output.Result, error.Result);
    }
}

public sealed record Outcome(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;
}
