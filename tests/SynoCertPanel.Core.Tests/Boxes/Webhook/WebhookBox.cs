using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using SynoCertPanel.Core.Boxes.Webhook;

namespace SynoCertPanel.Core.Tests.Boxes.Webhook;

/// <summary>
/// A box that takes certificates by webhook: an HTTP receiver on loopback that checks the HMAC signature and installs the
/// bundle on its own TLS listener, which the deploy's verification then handshakes with.
/// </summary>
internal sealed class WebhookBox : IAsyncDisposable
{
    private readonly HttpListener _http = new();
    private readonly TcpListener _tls = new(IPAddress.Loopback, 0);
    // Not disposed: DisposeAsync may run twice (a test stops the box early), and a cancelled source holds nothing.
#pragma warning disable CA2213
    private readonly CancellationTokenSource _stop = new();
#pragma warning restore CA2213
    private readonly Task _httpLoop;
    private readonly Task _tlsLoop;
    private X509Certificate2 _served;

    private WebhookBox(string secret)
    {
        Secret = secret;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var first = new CertificateRequest("CN=before deploy", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _served = X509CertificateLoader.LoadPkcs12(first.Export(X509ContentType.Pkcs12), null);
        HttpPort = FreePort();
        _http.Prefixes.Add($"http://127.0.0.1:{HttpPort}/hook/");
        _http.Start();
        _tls.Start();
        _httpLoop = Task.Run(ServeHooksAsync);
        _tlsLoop = Task.Run(ServeTlsAsync);
    }

    public string Secret { get; }

    public static WebhookBox Start(string secret) => new(secret);

    public int HttpPort { get; }

    public int TlsPort => ((IPEndPoint)_tls.LocalEndpoint).Port;

    public string Url => $"http://127.0.0.1:{HttpPort}/hook/";

    /// <summary>False: answers 200 and keeps serving what it had (the "success but old certificate" fault).</summary>
    public bool InstallOnDeploy { get; set; } = true;

    public int Status { get; set; } = 200;

    public List<JsonElement> Received { get; } = [];

    public List<string> BadSignatures { get; } = [];

    public string ServedFingerprint => Convert.ToHexString(SHA256.HashData(_served.RawData));

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _http.Close();
        _tls.Stop();
        await Task.WhenAll(_httpLoop.ContinueWith(_ => { }, TaskScheduler.Default), _tlsLoop.ContinueWith(_ => { }, TaskScheduler.Default));
        _served.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeHooksAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _http.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var bytes = body.ToArray();
            var expected = Encoding.ASCII.GetBytes(WebhookDelivery.Sign(Secret, bytes));
            var given = Encoding.ASCII.GetBytes(context.Request.Headers[WebhookDelivery.SignatureHeader] ?? string.Empty);
            if (!CryptographicOperations.FixedTimeEquals(expected, given))
            {
                BadSignatures.Add(Encoding.ASCII.GetString(given));
                context.Response.StatusCode = 401;
                context.Response.Close();
                continue;
            }

            var json = JsonDocument.Parse(bytes).RootElement.Clone();
            Received.Add(json);
            var kind = json.GetProperty("event").GetString();
            if (Status == 200 && (kind == "restore" || (kind == "deploy" && InstallOnDeploy)))
            {
                using var pem = X509Certificate2.CreateFromPem(json.GetProperty("fullChain").GetString(), json.GetProperty("privateKey").GetString());
                _served = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }

            context.Response.StatusCode = Status;
            context.Response.Close();
        }
    }

    private async Task ServeTlsAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _tls.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await using var stream = new SslStream(client.GetStream());
                        await stream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _served });
                    }
                    catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
                    {
                        // The probe hangs up once it has the certificate.
                    }
                }
            });
        }
    }
}
