using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SynoCertPanel.Core.Tests.Watch;

/// <summary>The system openssl: <c>s_server</c> for what SslStream will not serve (TLS 1.0, RSA-1024, SHA-1), <c>s_client</c> as the witness.</summary>
internal static partial class OpenSsl
{
    public static string Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', arguments)} failed: {error}");
        return output.Result;
    }

    /// <summary>The certificates <c>openssl s_client -showcerts</c> prints, as DER, in its order.</summary>
    public static async Task<List<byte[]>> ShowCertsAsync(string host, int port, string? serverName)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["s_client", "-connect", $"{host}:{port}", "-showcerts"])
        {
            start.ArgumentList.Add(argument);
        }

        if (serverName is not null)
        {
            start.ArgumentList.Add("-servername");
            start.ArgumentList.Add(serverName);
        }
        else
        {
            start.ArgumentList.Add("-noservername");
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return [.. PemCertificate().Matches(output).Select(m => Convert.FromBase64String(m.Groups[1].Value))];
    }

    [GeneratedRegex(@"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", RegexOptions.Singleline)]
    private static partial Regex PemCertificate();
}

/// <summary><c>openssl s_server</c> on 127.0.0.1 and a free port, with extra options (protocol, security level).</summary>
internal sealed class OpenSslServer : IDisposable
{
    private readonly Process _process;

    private OpenSslServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static Task<OpenSslServer> StartAsync(string directory, string cert, string key, string? chain, params string[] options) =>
        StartWithAsync(directory, ["-cert", cert, "-key", key, .. chain is null ? [] : (string[])["-cert_chain", chain], .. options]);

    /// <summary>A server given only <paramref name="options"/> (for one without a certificate, such as pre-shared keys only).</summary>
    public static async Task<OpenSslServer> StartWithAsync(string directory, params string[] options)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = directory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["s_server", "-accept", $"127.0.0.1:{port}", "-quiet", .. options])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new OpenSslServer(process, port);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(50);
            }
        }

        server.Dispose();
        throw new InvalidOperationException("openssl s_server did not start listening.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
