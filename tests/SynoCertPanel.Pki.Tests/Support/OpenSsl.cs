using System.Diagnostics;

namespace SynoCertPanel.Pki.Tests.Support;

/// <summary>Runs the system openssl as an independent verifier of what the engine makes.</summary>
public static class OpenSsl
{
    public static Outcome Run(params string[] arguments) => Run(null, arguments);

    public static Outcome Run(byte[]? input, params string[] arguments) => ExternalTool.Run("openssl", input, arguments);

    /// <summary>openssl's own reading of a certificate (<c>x509 -noout -text</c>).</summary>
    public static string Text(Pki.Certificates.Certificate certificate)
    {
        var outcome = Run(System.Text.Encoding.ASCII.GetBytes(certificate.ToPem()), "x509", "-noout", "-text");
        return outcome.ExitCode == 0 ? outcome.Output : throw new InvalidOperationException(outcome.All);
    }

    /// <summary>
    /// <c>openssl verify -x509_strict -auth_level 2 -purpose sslserver</c> of a leaf against a root, with the
    /// intermediates given as untrusted and any extra checks (-verify_hostname …).
    /// </summary>
    public static Outcome VerifyServer(TempDirectory dir, Pki.Certificates.Certificate root, Pki.Certificates.Certificate leaf,
        IReadOnlyList<Pki.Certificates.Certificate>? intermediates = null, params string[] checks)
    {
        var arguments = new List<string> { "verify", "-x509_strict", "-auth_level", "2", "-purpose", "sslserver" };
        arguments.AddRange(checks);
        arguments.AddRange(["-CAfile", dir.Write($"root-{root.SerialNumberHex}.pem", root.ToPem())]);
        if (intermediates is { Count: > 0 })
        {
            arguments.AddRange(["-untrusted", dir.Write($"untrusted-{leaf.SerialNumberHex}.pem", string.Concat(intermediates.Select(c => c.ToPem())))]);
        }

        arguments.Add(dir.Write($"leaf-{leaf.SerialNumberHex}.pem", leaf.ToPem()));
        return Run([.. arguments]);
    }
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
