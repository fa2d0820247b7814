using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Pki.Tls;

namespace SynoCertPanel.Core.Watch;

/// <summary>
/// Connects to an endpoint and performs one TLS handshake, recording the chain exactly as the server sent it; when that
/// handshake fails the way an old server makes it fail, a second one by <see cref="LegacyTlsClient"/> learns what it serves.
/// It never trusts or rejects a certificate itself (the validation callback accepts everything and only
/// copies what was sent): judging is <see cref="EndpointVerdict"/>'s job, on what is recorded here.
/// </summary>
/// <remarks>
/// SslStream gives the raw sent chain: on Linux it fills the validation callback's
/// <c>chain.ChainPolicy.ExtraStore</c> from OpenSSL's <c>SSL_get_peer_cert_chain</c>, which is the server's
/// Certificate message in order, leaf first (the tests compare it with <c>openssl s_client -showcerts</c>).
/// </remarks>
public sealed class EndpointProbe(TimeProvider time, ProbeOptions? options = null) : IEndpointProbe
{
    private readonly ProbeOptions _options = options ?? ProbeOptions.Default;

    public async Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var probedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var (socket, failure) = await ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        if (socket is null)
        {
            return ProbeResult.Failed(target, probedAt, time.GetElapsedTime(started), failure!);
        }

        // One budget for both handshakes: the legacy second try never makes a probe outlast the handshake timeout.
        using var timeout = new CancellationTokenSource(_options.HandshakeTimeout, time);
        (ProbeResult Result, bool TryLegacy) first;
        using (socket)
        {
            first = await HandshakeAsync(target, socket, probedAt, started, timeout, cancellationToken).ConfigureAwait(false);
        }

        return first.TryLegacy && !timeout.IsCancellationRequested
            ? await LegacyHandshakeAsync(first.Result, started, timeout, cancellationToken).ConfigureAwait(false)
            : first.Result;
    }

    private async Task<(Socket? Socket, ProbeFailure? Failure)> ConnectAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        IPAddress[] addresses;
        if (IPAddress.TryParse(target.Host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(target.Host, linked.Token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                return (null, new ProbeFailure(ProbeFailureKind.Dns,
                    $"The name {target.Host} does not resolve ({ProbeFailures.Describe(e.SocketErrorCode)}): check the box's address and the panel's DNS server."));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, new ProbeFailure(ProbeFailureKind.Timeout,
                    $"Looking up {target.Host} took longer than {Seconds(_options.ConnectTimeout)}: the panel's DNS server does not answer."));
            }

            if (addresses.Length == 0)
            {
                return (null, new ProbeFailure(ProbeFailureKind.Dns, $"The name {target.Host} resolves to no address: check the box's DNS record."));
            }
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, target.Port), linked.Token).ConfigureAwait(false);
                return (socket, null);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                return (null, new ProbeFailure(ProbeFailureKind.Timeout,
                    $"{target} did not accept a connection within {Seconds(_options.ConnectTimeout)}: the box is down or a firewall drops the connection."));
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        return (null, ProbeFailures.Connect(target, last!));
    }

    /// <summary>The handshake of the panel's own TLS stack; TryLegacy when it failed in a way an old server causes.</summary>
    private async Task<(ProbeResult Result, bool TryLegacy)> HandshakeAsync(ProbeTarget target, Socket socket, DateTimeOffset probedAt, long started,
        CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        var remote = (socket.RemoteEndPoint as IPEndPoint)?.Address;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var recorder = new HandshakeRecorder(new NetworkStream(socket, ownsSocket: false), _options.MaxHandshakeBytes);
        var tls = new SslStream(recorder, leaveInnerStreamOpen: false);
        await using (tls.ConfigureAwait(false))
        {
            IReadOnlyList<byte[]> served = [];
            // The probe records, it does not decide: accepting every chain here is what lets a bad one be recorded
            // and judged; nothing is ever sent over this connection.
#pragma warning disable CA5359
            var sslOptions = ClientOptions(target, (_, certificate, chain, _) =>
            {
                served = CaptureChain(certificate, chain);
                return true;
            });
#pragma warning restore CA5359

            // Closing the socket ends a read that does not observe the token, so no server can hold a probe past its timeout.
            using var abort = linked.Token.Register(static s => ((Socket)s!).Dispose(), socket);
            try
            {
                await tls.AuthenticateAsClientAsync(sslOptions, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var failure = timeout.IsCancellationRequested && !recorder.LimitReached
                    ? ProbeFailures.Timeout(target, recorder, Seconds(_options.HandshakeTimeout))
                    : ProbeFailures.Handshake(target, e, recorder);
                // A server that speaks TLS and still fails the handshake (an alert, a hang-up after the hello, OpenSSL refusing
                // its version, cipher or signature at Debian's security level) may be an old box: the legacy client asks it again.
                var tryLegacy = failure.Kind == ProbeFailureKind.Handshake && !recorder.LimitReached;
                return (ProbeResult.Failed(target, probedAt, time.GetElapsedTime(started), failure, remote, recorder.BytesReceived), tryLegacy);
            }

            return (new ProbeResult
            {
                Target = target,
                ProbedAt = probedAt,
                Elapsed = time.GetElapsedTime(started),
                RemoteAddress = remote,
                ServedChain = served,
                Protocol = tls.SslProtocol,
                CipherSuite = tls.NegotiatedCipherSuite,
                BytesReceived = recorder.BytesReceived,
            }, false);
        }
    }

    /// <summary>
    /// The second try, by <see cref="LegacyTlsClient"/> (TLS 1.0–1.2, legacy cipher suites), within what is left of the
    /// handshake timeout: success records the chain with why the first try failed; failure keeps the first try's reason.
    /// </summary>
    private async Task<ProbeResult> LegacyHandshakeAsync(ProbeResult modern, long started, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        var target = modern.Target;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var (socket, _) = await ConnectAsync(target, linked.Token).ConfigureAwait(false);
            if (socket is null)
            {
                return modern;
            }

            using (socket)
            {
                var recorder = new HandshakeRecorder(new NetworkStream(socket, ownsSocket: false), _options.MaxHandshakeBytes);
                await using (recorder.ConfigureAwait(false))
                {
                    using var abort = linked.Token.Register(static s => ((Socket)s!).Dispose(), socket);
                    var legacy = await LegacyTlsClient.HandshakeAsync(recorder, target.ServerName, linked.Token).ConfigureAwait(false);
                    if (!legacy.Succeeded)
                    {
                        return modern with { Elapsed = time.GetElapsedTime(started), Failure = ProbeFailures.LegacyRefused(target, modern.Failure!, legacy) };
                    }

                    return new ProbeResult
                    {
                        Target = target,
                        ProbedAt = modern.ProbedAt,
                        Elapsed = time.GetElapsedTime(started),
                        RemoteAddress = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? modern.RemoteAddress,
                        ServedChain = legacy.ServedChain,
                        Protocol = legacy.Protocol,
                        CipherSuite = (TlsCipherSuite)legacy.CipherSuite,
                        BytesReceived = recorder.BytesReceived,
                        ModernFailure = modern.Failure,
                    };
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Out of time or cut at the byte limit: the first try's reason is the one to show.
            cancellationToken.ThrowIfCancellationRequested();
            return modern with { Elapsed = time.GetElapsedTime(started) };
        }
    }

    private static SslClientAuthenticationOptions ClientOptions(ProbeTarget target, RemoteCertificateValidationCallback capture) => new()
    {
        // An empty target host sends no SNI, as a client that reaches the box by its IP address.
        TargetHost = target.ServerName ?? string.Empty,
        // Offer the old versions too: a box that only speaks TLS 1.0 must show up as weak, not as unreachable.
#pragma warning disable SYSLIB0039, CA5397, CA5398
        EnabledSslProtocols = SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13,
#pragma warning restore SYSLIB0039, CA5397, CA5398
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        // SslStream builds a chain before calling back; without this it would fetch missing issuers from AIA URLs.
        CertificateChainPolicy = new X509ChainPolicy
        {
            DisableCertificateDownloads = true,
            RevocationMode = X509RevocationMode.NoCheck,
        },
        RemoteCertificateValidationCallback = capture,
    };

    private static List<byte[]> CaptureChain(X509Certificate? certificate, X509Chain? chain)
    {
        var sent = chain?.ChainPolicy.ExtraStore.Select(c => c.RawDataMemory.ToArray()).ToList() ?? [];
        var leaf = certificate?.GetRawCertData();
        if (leaf is not null && (sent.Count == 0 || !sent[0].AsSpan().SequenceEqual(leaf)))
        {
            sent.Insert(0, leaf);
        }

        return sent;
    }

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
