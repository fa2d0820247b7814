using System.Diagnostics;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>Serves an issued certificate with `openssl s_server` and fetches a page through it with `curl --cacert`.</summary>
internal static class AcmeTls
{
    public static async Task AssertServedAsync(string certificateFile, string keyFile, string host, string rootFile)
    {
        var port = AcmeLab.FreePort();
        var start = new ProcessStartInfo("openssl")
        {
            ArgumentList = { "s_server", "-quiet", "-www", "-accept", $"127.0.0.1:{port}", "-cert", certificateFile, "-key", keyFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var server = Process.Start(start)!;
        try
        {
            ExternalProcess.Outcome? curl = null;
            for (var attempt = 0; attempt < 50; attempt++)
            {
                curl = await ExternalProcess.RunAsync("curl", ["--silent", "--show-error", "--cacert", rootFile, "--resolve", $"{host}:{port}:127.0.0.1",
                    "--output", "/dev/null", "--write-out", "%{http_code}", $"https://{host}:{port}/"]);
                if (curl.ExitCode != 7)
                {
                    break;
                }

                await Task.Delay(100);
            }

            Assert.True(curl!.ExitCode == 0 && curl.Output == "200", $"curl: {curl.ExitCode} {curl.Output} {curl.Error}");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
