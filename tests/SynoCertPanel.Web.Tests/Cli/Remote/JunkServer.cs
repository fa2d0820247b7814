using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SynoCertPanel.Web.Tests.Cli.Remote;

/// <summary>
/// A loopback server that is not the panel: over TLS with its own self-signed certificate (or plain TCP), it reads a
/// request's head and answers whatever the test gives it. It records what each connection sent, so a test can show
/// that no token left the client.
/// </summary>
internal sealed class JunkServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private readonly Func<Stream, CancellationToken, Task> _answer;
    private readonly Task _accepting;

    private JunkServer(bool tls, Func<Stream, CancellationToken, Task> answer)
    {
        _answer = answer;
        if (tls)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=junk.home.arpa", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            _certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
        }

        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Address => $"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The SHA-256 of the certificate it serves, to pin.</summary>
    public string Fingerprint => Convert.ToHexString(SHA256.HashData(_certificate!.RawData));

    /// <summary>What each connection sent before the answer (the request head), in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static JunkServer Start(Func<Stream, CancellationToken, Task> answer, bool tls = true) => new(tls, answer);

    /// <summary>Answers every request with these bytes, then closes.</summary>
    public static JunkServer Answering(string answer, bool tls = true) =>
        Start((stream, cancellationToken) => stream.WriteAsync(Encoding.UTF8.GetBytes(answer), cancellationToken).AsTask(), tls);

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
            // Stopped.
        }

        _certificate?.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                    stream = tls;
                }

                await using (stream)
                {
                    // Over plain TCP the client's first bytes are a TLS hello, never a request head: answer at once.
                    Requests.Enqueue(_certificate is null ? string.Empty : await ReadHeadAsync(stream, _stop.Token));
                    await _answer(stream, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client gave up (as it should, on junk), or the test ended.
            }
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (head.Length < 65536 && await stream.ReadAsync(buffer, cancellationToken) == 1)
        {
            head.Append((char)buffer[0]);
            if (head.Length >= 4 && head.ToString(head.Length - 4, 4) == "\r\n\r\n")
            {
                break;
            }
        }

        return head.ToString();
    }
}
