using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>`openssl s_server -www` serving a certificate and key on a loopback address, for a real TLS fetch.</summary>
internal sealed class TlsServer : IAsyncDisposable
{
    private readonly Process _process;

    private TlsServer(Process process, string address, int port)
    {
        _process = process;
        Address = address;
        Port = port;
    }

    public string Address { get; }

    public int Port { get; }

    public static async Task<TlsServer> StartAsync(string address, string certificate, string chain, string key)
    {
        var port = FreePort(address);
        var start = new ProcessStartInfo("openssl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in new[] { "s_server", "-accept", $"{address}:{port}", "-cert", certificate, "-cert_chain", chain, "-key", key, "-www" })
        {
            start.ArgumentList.Add(arg);
        }

        var server = new TlsServer(Process.Start(start)!, address, port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Parse(address), port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !server._process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
