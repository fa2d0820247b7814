using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Listener;

/// <summary>One TLS connection reused for several HTTP/1.1 requests, to show an apply does not cut it.</summary>
public sealed class KeepAliveConnection(TcpClient client, SslStream tls) : IAsyncDisposable
{
    public string Thumbprint => ListenerCertificate.ThumbprintOf(tls.RemoteCertificate!);

    /// <summary>GET /health; returns the status line and body.</summary>
    public async Task<string> GetHealthAsync()
    {
        await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        var received = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!received.ToString().EndsWith("\r\n\r\nok", StringComparison.Ordinal))
        {
            var read = await tls.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var text = received.ToString();
        return text.Length == 0 ? "(closed)" : text[..text.IndexOf('\r', StringComparison.Ordinal)] + " " + text[(text.LastIndexOf('\n') + 1)..];
    }

    public async ValueTask DisposeAsync()
    {
        await tls.DisposeAsync();
        client.Dispose();
    }
}
