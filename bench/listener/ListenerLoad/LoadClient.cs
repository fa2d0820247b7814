using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace ListenerLoad;

/// <summary>
/// Continuous HTTPS GET /health, a new TCP+TLS connection for every request, on 127.0.0.1 only. Logs each
/// success as "connect-started handshake-done thumbprint" (monotonic timestamps, comparable across processes) so the driver can see when new handshakes got a new certificate.
/// </summary>
internal static class LoadClient
{
    private const int MaxRequests = 2_000_000;
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

    public static async Task<int> RunAsync(int port, int seconds, int concurrency, string logPath)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        var stop = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 120));
        var ok = 0;
        var failed = 0;
        var failures = new List<string>();
        var lines = new List<string>[concurrency];
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var log = lines[w] = [];
            while (stop.Elapsed < limit && Volatile.Read(ref ok) + Volatile.Read(ref failed) < MaxRequests)
            {
                var result = await OneRequestAsync(endpoint);
                if (result.Thumbprint is { } thumbprint)
                {
                    Interlocked.Increment(ref ok);
                    log.Add(string.Create(CultureInfo.InvariantCulture, $"{result.StartedAt} {result.HandshakeAt} {thumbprint}"));
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    lock (failures)
                    {
                        failures.Add(result.Error!);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = stop.Elapsed.TotalSeconds;
        await File.WriteAllLinesAsync(logPath, lines.SelectMany(l => l));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ok={ok} failed={failed} seconds={elapsed:0.00} rate={ok / elapsed:0}"));
        foreach (var failure in failures.GroupBy(f => f).Take(5))
        {
            Console.WriteLine($"failure x{failure.Count()}: {failure.Key}");
        }

        return 0;
    }

    public static async Task<(long StartedAt, long HandshakeAt, string? Thumbprint, string? Error)> OneRequestAsync(IPEndPoint endpoint)
    {
        var startedAt = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint, timeout.Token);
            await using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            }, timeout.Token);
            var handshakeAt = Stopwatch.GetTimestamp();
            var thumbprint = tls.RemoteCertificate!.GetCertHashString(HashAlgorithmName.SHA256);
            await tls.WriteAsync(Request, timeout.Token);
            using var response = new MemoryStream();
            await tls.CopyToAsync(response, timeout.Token);
            var text = Encoding.ASCII.GetString(response.ToArray());
            return text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal)
                ? (startedAt, handshakeAt, thumbprint, null)
                : (startedAt, handshakeAt, null, "status: " + text.Split('\r')[0]);
        }
        catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            return (startedAt, 0, null, e.GetType().Name + ": " + e.Message);
        }
    }
}
