using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;

namespace SynoCertPanel.Core.Boxes;

/// <summary>One handshake with <see cref="SslStream"/>, accepting whatever is served: verification compares fingerprints, not trust.</summary>
public sealed class TlsServedCertificateProbe : IServedCertificateProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<ServedLeaf> ProbeAsync(string host, int port, string? serverName, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            using var client = new TcpClient(host.Contains(':', StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
            await client.ConnectAsync(host, port, limit.Token).ConfigureAwait(false);
            await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = serverName ?? string.Empty,
                // Only the served leaf's fingerprint is read; whether it is trusted is the watch's verdict, not this handshake's.
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            }, limit.Token).ConfigureAwait(false);
            return tls.RemoteCertificate is { } served
                ? new ServedLeaf(Convert.ToHexString(SHA256.HashData(served.GetRawCertData())), null)
                : new ServedLeaf(null, "no certificate was served");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ServedLeaf(null, "no answer within 10 seconds");
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            return new ServedLeaf(null, e.Message.TrimEnd('.'));
        }
    }
}
