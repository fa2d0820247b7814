using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SynoCertPanel.Core.Acme.Validation;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// The client side of tls-alpn-01 on 127.0.0.1: a TLS server answering "acme-tls/1" with a validation certificate built
/// for the test, or misbehaving on purpose (another protocol, a certificate missing what RFC 8737 asks, silence, junk).
/// It records the SNI each handshake asked for.
/// </summary>
internal sealed class TlsAlpnResponder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private TlsAlpnResponder(Behaviour mode, X509Certificate2? certificate, IReadOnlyList<SslApplicationProtocol>? protocols)
    {
        Mode = mode;
        Certificate = certificate;
        Protocols = protocols;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public enum Behaviour
    {
        Handshake,
        Silent,
        Junk,
    }

    public Behaviour Mode { get; }

    public X509Certificate2? Certificate { get; }

    /// <summary>The ALPN protocols the server accepts; null: it does not speak ALPN at all.</summary>
    public IReadOnlyList<SslApplicationProtocol>? Protocols { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<string> ServerNames { get; } = new();

    public static TlsAlpnResponder Answering(X509Certificate2 certificate, params SslApplicationProtocol[]? protocols) =>
        new(Behaviour.Handshake, certificate, protocols is null || protocols.Length == 0 ? [TlsAlpn01Validator.AcmeTls1] : protocols);

    public static TlsAlpnResponder WithoutAlpn(X509Certificate2 certificate) => new(Behaviour.Handshake, certificate, null);

    public static TlsAlpnResponder Misbehaving(Behaviour mode) => new(mode, null, null);

    /// <summary>A validation certificate; each part can be left out or spoiled to test the validator's refusals.</summary>
    public static X509Certificate2 BuildCertificate(string keyAuthorization, string[]? dnsNames = null, IPAddress[]? addresses = null,
        bool withExtension = true, bool critical = true, byte[]? digest = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ACME validation", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames ?? [])
        {
            names.AddDnsName(name);
        }

        foreach (var address in addresses ?? [])
        {
            names.AddIpAddress(address);
        }

        if ((dnsNames?.Length ?? 0) + (addresses?.Length ?? 0) > 0)
        {
            request.CertificateExtensions.Add(names.Build());
        }

        if (withExtension)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            writer.WriteOctetString(digest ?? SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization)));
            request.CertificateExtensions.Add(new X509Extension(TlsAlpn01Validator.AcmeIdentifierOid, writer.Encode(), critical));
        }

        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(Task.Run(() => ServeAsync(client)));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping.
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            switch (Mode)
            {
                case Behaviour.Silent:
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    break;
                case Behaviour.Junk:
                    var junk = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nnot TLS at all ");
                    while (!_stop.IsCancellationRequested)
                    {
                        await stream.WriteAsync(junk, _stop.Token);
                    }

                    break;
                default:
                    await using (var tls = new SslStream(stream))
                    {
                        var options = new SslServerAuthenticationOptions
                        {
                            ServerCertificateSelectionCallback = (_, hostName) =>
                            {
                                ServerNames.Enqueue(hostName ?? "");
                                return Certificate!;
                            },
                            ApplicationProtocols = Protocols?.ToList(),
                        };
                        await tls.AuthenticateAsServerAsync(options, _stop.Token);
                        // A validator closes once it has seen the certificate; wait for that.
                        await tls.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false, _stop.Token);
                    }

                    break;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // The validator hung up or the test ended.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
        Certificate?.Dispose();
    }
}
