using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SynoCertPanel.Pki.Tests.Support;

/// <summary>
/// <c>openssl s_server -www</c> on a free loopback port, serving a leaf with its chain; killed on dispose.
/// </summary>
public sealed class TlsServer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private TlsServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static TlsServer Start(string certificateFile, string keyFile, string chainFile)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "s_server", "-accept", $"127.0.0.1:{port}", "-cert", certificateFile, "-key", keyFile,
            "-cert_chain", chainFile, "-www", "-quiet" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("openssl s_server did not start.");
        var server = new TlsServer(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            server.WaitUntilAccepting(TimeSpan.FromSeconds(15));
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private void WaitUntilAccepting(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"openssl s_server exited with {_process.ExitCode}: {Log}");
            }

            using var client = new TcpClient();
            try
            {
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException($"openssl s_server did not accept on port {Port} within {timeout.TotalSeconds} s: {Log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
