using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Core.Tests.Boxes;

/// <summary>What the HTTPS delivery tests share: a handshake to see what a port serves, ports that fail, and the secrets check.</summary>
internal static class BoxProbe
{
    /// <summary>The SHA-256 (hex) of the certificate the port shows; the client takes any, it only looks.</summary>
    public static async Task<string> ServedFingerprintAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        // Looking only: the test compares the fingerprint itself.
#pragma warning disable CA5359
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
#pragma warning restore CA5359
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "nas.home.arpa" });
        return Convert.ToHexString(SHA256.HashData(tls.RemoteCertificate!.GetRawCertData()));
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A port that accepts connections and never says a word.</summary>
    public static TcpListener Silent()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    public static int Port(this TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>No secret in the sentence or the steps, whatever happened.</summary>
    public static DeliveryOutcome Clean(this DeliveryOutcome outcome, params string?[] secrets)
    {
        var shown = outcome.Message + "\n" + string.Join("\n", outcome.Steps);
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
        {
            Assert.DoesNotContain(secret!, shown, StringComparison.Ordinal);
        }

        return outcome;
    }
}
