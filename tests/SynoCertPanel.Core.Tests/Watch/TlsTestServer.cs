using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace SynoCertPanel.Core.Tests.Watch;

/// <summary>How the test server behaves on each connection.</summary>
internal enum ServerBehaviour
{
    /// <summary>A TLS server choosing its certificate by SNI.</summary>
    Tls,

    /// <summary>Accepts TCP and never says a word.</summary>
    Silent,

    /// <summary>A plain HTTP server: answers the ClientHello with a 400.</summary>
    PlainHttp,

    /// <summary>Sends TLS-looking handshake records (empty HelloRequests, which OpenSSL skips) without end.</summary>
    Flood,

    /// <summary>Sends the start of a handshake record, then one byte every 200 ms.</summary>
    Trickle,

    /// <summary>Answers the ClientHello with a plaintext fatal handshake_failure alert, as a server with no common cipher.</summary>
    Alert,

    /// <summary>Answers the ClientHello with bytes that are neither TLS nor text.</summary>
    Junk,

    /// <summary>Answers with a TLS handshake record header followed by noise: it looks like TLS and is not.</summary>
    TlsLookingJunk,

    /// <summary>The first connection gets a protocol_version alert; every later one is accepted and never answered.</summary>
    RefuseThenHang,

    /// <summary>Reads the ClientHello and closes the connection without a word, as some old TLS stacks do with a hello they cannot parse.</summary>
    HangUp,
}

/// <summary>
/// A real TCP listener on a loopback address and a random port, speaking TLS through SslStream (or misbehaving
/// on purpose). Certificates are chosen per connection from the SNI name the client sent.
/// </summary>
internal sealed class TlsTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string?, SslStreamCertificateContext?> _select;
    private readonly ServerBehaviour _behaviour;
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;
    private int _open;
    private int _maxOpen;
    private int _accepted;

    private TlsTestServer(IPAddress address, ServerBehaviour behaviour, Func<string?, SslStreamCertificateContext?> select)
    {
        _behaviour = behaviour;
        _select = select;
        _listener = new TcpListener(address, 0);
        _listener.Start(1024);
        Address = address;
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public IPAddress Address { get; }

    public int Port { get; }

    /// <summary>SNI names seen, in order; null for a ClientHello without SNI.</summary>
    public ConcurrentQueue<string?> ServerNames { get; } = new();

    public int MaxOpenConnections => Volatile.Read(ref _maxOpen);

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _accepted);

    public static TlsTestServer Serve(SslStreamCertificateContext context, IPAddress? address = null) =>
        new(address ?? IPAddress.Loopback, ServerBehaviour.Tls, _ => context);

    public static TlsTestServer ServeBySni(Func<string?, SslStreamCertificateContext?> select, IPAddress? address = null) =>
        new(address ?? IPAddress.Loopback, ServerBehaviour.Tls, select);

    public static TlsTestServer Misbehave(ServerBehaviour behaviour) => new(IPAddress.Loopback, behaviour, _ => null);

    /// <summary>The leaf with its key and the intermediates a server sends after it, leaf first.</summary>
    public static SslStreamCertificateContext Context(X509Certificate2 leafWithKey, params X509Certificate2[] intermediates) =>
        SslStreamCertificateContext.Create(leafWithKey, new X509Certificate2Collection(intermediates), offline: true);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(_connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _connections.Add(Task.Run(() => HandleAsync(client)));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        var accepted = Interlocked.Increment(ref _accepted);
        var open = Interlocked.Increment(ref _open);
        int seen;
        while (open > (seen = Volatile.Read(ref _maxOpen)) && Interlocked.CompareExchange(ref _maxOpen, open, seen) != seen)
        {
        }

        try
        {
            using (client)
            {
                var stream = client.GetStream();
                await (_behaviour switch
                {
                    ServerBehaviour.Tls => TlsAsync(stream),
                    ServerBehaviour.Silent => Task.Delay(Timeout.Infinite, _stop.Token),
                    ServerBehaviour.PlainHttp => PlainHttpAsync(stream),
                    ServerBehaviour.Flood => FloodAsync(stream),
                    ServerBehaviour.Trickle => TrickleAsync(stream),
                    ServerBehaviour.Junk => JunkAsync(stream, []),
                    ServerBehaviour.TlsLookingJunk => JunkAsync(stream, [22, 3, 3, 0, 64]),
                    ServerBehaviour.RefuseThenHang when accepted > 1 => Task.Delay(Timeout.Infinite, _stop.Token),
                    ServerBehaviour.RefuseThenHang => AlertAsync(stream, 70),
                    ServerBehaviour.HangUp => ReadHelloAsync(stream),
                    _ => AlertAsync(stream, 40),
                });
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException
            or System.Security.Authentication.AuthenticationException)
        {
            // The probe hanging up (or the test ending) is how most of these connections end.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task TlsAsync(NetworkStream stream)
    {
        await using var tls = new SslStream(stream);
        await tls.AuthenticateAsServerAsync((_, hello, _, _) =>
        {
            var name = string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName;
            ServerNames.Enqueue(name);
            return ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _select(name)
                    ?? throw new System.Security.Authentication.AuthenticationException("No certificate for this name."),
            });
        }, null, _stop.Token);
        var buffer = new byte[256];
        while (await tls.ReadAsync(buffer, _stop.Token) > 0)
        {
        }
    }

    /// <summary>Waits for the ClientHello (or what arrives of it); its content does not matter to these behaviours.</summary>
    private async Task<int> ReadHelloAsync(NetworkStream stream) => await stream.ReadAsync(new byte[4096], _stop.Token);

    private async Task PlainHttpAsync(NetworkStream stream)
    {
        await ReadHelloAsync(stream);
        await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
    }

    private async Task FloodAsync(NetworkStream stream)
    {
        await ReadHelloAsync(stream);
        var record = new byte[5 + 16384];
        record[0] = 22;
        record[1] = 3;
        record[2] = 3;
        record[3] = 0x40;
        while (!_stop.IsCancellationRequested)
        {
            await stream.WriteAsync(record, _stop.Token);
        }
    }

    private async Task TrickleAsync(NetworkStream stream)
    {
        await ReadHelloAsync(stream);
        await stream.WriteAsync(new byte[] { 22, 3, 3, 0x10, 0 }, _stop.Token);
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(200, _stop.Token);
            await stream.WriteAsync(new byte[] { 0 }, _stop.Token);
        }
    }

    private async Task AlertAsync(NetworkStream stream, byte description)
    {
        await ReadHelloAsync(stream);
        await stream.WriteAsync(new byte[] { 21, 3, 3, 0, 2, 2, description }, _stop.Token);
    }

    /// <summary>The same noise every time (a fixed seed), after <paramref name="header"/>, then the connection closes.</summary>
    private async Task JunkAsync(NetworkStream stream, byte[] header)
    {
        await ReadHelloAsync(stream);
        var noise = new byte[64];
        new Random(13).NextBytes(noise);
        noise[0] = 0xff;
        await stream.WriteAsync(header.Concat(noise).ToArray(), _stop.Token);
    }
}
