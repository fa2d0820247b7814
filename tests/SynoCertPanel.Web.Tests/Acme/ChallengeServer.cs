using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// The client side of http-01 on loopback (IPv4 and IPv6 on one port): answers /.well-known/acme-challenge/TOKEN with
/// what the test put there, or misbehaves on purpose (a body that never ends, redirects in a loop or to another port,
/// a body of 10 MB).
/// </summary>
internal sealed class ChallengeServer : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    private ChallengeServer(int port) => Port = port;

    public enum Behaviour
    {
        Answer,
        EndlessBody,
        RedirectLoop,
        RedirectToOtherPort,
        TenMegabytes,
    }

    /// <summary>Bytes of body the misbehaving answers managed to send before the panel hung up.</summary>
    public long BodyBytesSent;

    public int Port { get; }

    public ConcurrentDictionary<string, string> Files { get; } = new();

    /// <summary>A web root whose .well-known/acme-challenge files are served too, for clients whose hook writes files (uacme).</summary>
    public string? WebRoot { get; set; }

    public Behaviour Mode { get; set; }

    public int Requests;

    public static ChallengeServer Start(bool ipv6 = false)
    {
        var v4 = new TcpListener(IPAddress.Loopback, 0);
        v4.Start();
        var server = new ChallengeServer(((IPEndPoint)v4.LocalEndpoint).Port);
        server._listeners.Add(v4);
        if (ipv6)
        {
            var v6 = new TcpListener(IPAddress.IPv6Loopback, server.Port);
            v6.Start();
            server._listeners.Add(v6);
        }

        foreach (var listener in server._listeners)
        {
            server._loops.Add(Task.Run(() => server.AcceptAsync(listener)));
        }

        return server;
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            Interlocked.Increment(ref Requests);
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync() ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
            {
            }

            var path = requestLine.Split(' ') is [_, var p, ..] ? p : "/";
            var token = path.StartsWith("/.well-known/acme-challenge/", StringComparison.Ordinal) ? path["/.well-known/acme-challenge/".Length..] : "";
            try
            {
                switch (Mode)
                {
                    case Behaviour.RedirectLoop:
                        await WriteAsync(stream, $"HTTP/1.1 302 Found\r\nLocation: {path}?again\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        break;
                    case Behaviour.RedirectToOtherPort:
                        await WriteAsync(stream, $"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:22{path}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        break;
                    case Behaviour.TenMegabytes:
                        const int Size = 10 * 1024 * 1024;
                        await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Size}\r\nConnection: close\r\n\r\n");
                        var block = new byte[64 * 1024];
                        for (var sent = 0; sent < Size && !_stop.IsCancellationRequested; sent += block.Length)
                        {
                            await stream.WriteAsync(block, _stop.Token);
                            Interlocked.Add(ref BodyBytesSent, block.Length);
                        }

                        break;
                    case Behaviour.EndlessBody:
                        await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n");
                        var chunk = new byte[1024];
                        while (!_stop.IsCancellationRequested)
                        {
                            await stream.WriteAsync(chunk, _stop.Token);
                            Interlocked.Add(ref BodyBytesSent, chunk.Length);
                            await Task.Delay(50, _stop.Token);
                        }

                        break;
                    default:
                        var body = Files.TryGetValue(token, out var content) ? content : FromWebRoot(token);
                        await WriteAsync(stream, body is null
                            ? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            : $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.ASCII.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");
                        break;
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }

    private string? FromWebRoot(string token)
    {
        if (WebRoot is null || token.Length == 0 || token.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
        {
            return null;
        }

        var file = Path.Combine(WebRoot, ".well-known", "acme-challenge", token);
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    private static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
