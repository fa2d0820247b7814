using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace SynoCertPanel.Web.Hosting;

/// <summary>Opens a real TLS connection to the listener and reports which certificate it served.</summary>
public static class HandshakeProbe
{
    public static async Task<Result<string>> ServedThumbprintAsync(IPEndPoint endpoint, string? serverName, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient(endpoint.AddressFamily);
            await client.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
            var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await using (tls.ConfigureAwait(false))
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = serverName ?? "localhost",
                    // Only which certificate arrives matters here, not whether this machine trusts it.
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
                }, deadline.Token).ConfigureAwait(false);
                return tls.RemoteCertificate is { } served
                    ? Result.Success(ListenerCertificate.ThumbprintOf(served))
                    : Result.Failure<string>($"the listener at {endpoint} sent no certificate");
            }
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            return Result.Failure<string>($"a TLS handshake with {endpoint} failed: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result.Failure<string>($"a TLS handshake with {endpoint} did not finish within {timeout.TotalSeconds:0} s");
        }
    }
}
