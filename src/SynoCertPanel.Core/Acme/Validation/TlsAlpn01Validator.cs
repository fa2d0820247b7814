using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SynoCertPanel.Core.Acme.Validation;

/// <summary>
/// tls-alpn-01 (RFC 8737): a TLS handshake with the box on the policy's port, offering only the "acme-tls/1" protocol,
/// whose certificate must name the identifier alone and carry the critical id-pe-acmeIdentifier extension holding
/// SHA-256 of the key authorization. Any certificate is accepted otherwise (it is self-signed by design). Names are looked
/// up through <see cref="AcmeResolver"/>; an address is sent as its reverse-DNS name in SNI (RFC 8738 §6). The whole
/// attempt is bounded by a timeout and the bytes read from the box by <see cref="MaxHandshakeBytes"/>.
/// </summary>
/// <remarks>
/// Problem types (RFC 8555 §6.7): a name that does not resolve is <c>dns</c>, a box that cannot be reached or does not
/// answer in time <c>connection</c>, a failed handshake or another protocol than acme-tls/1 <c>tls</c>, a certificate that
/// is not a validation certificate <c>incorrectResponse</c>, and a validation certificate for another key authorization
/// (someone else's account) <c>unauthorized</c>.
/// </remarks>
public sealed class TlsAlpn01Validator(AcmeResolver resolver, TimeSpan timeout) : IChallengeValidator
{
    /// <summary>The ALPN protocol id of RFC 8737 §6.2.</summary>
    public static readonly SslApplicationProtocol AcmeTls1 = new("acme-tls/1");

    /// <summary>id-pe-acmeIdentifier (RFC 8737 §6.1).</summary>
    public const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

    /// <summary>A validation certificate is well under 4 KiB; OpenSSL's own bound on a certificate list is 100 KiB.</summary>
    public const int MaxHandshakeBytes = 64 * 1024;

    public string Type => AcmeChallengeTypes.TlsAlpn01;

    public async Task<AcmeProblem?> ValidateAsync(ChallengeAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var isIp = attempt.IdentifierType == "ip";
        IPAddress? ip = null;
        if (isIp && !IPAddress.TryParse(attempt.Identifier, out ip))
        {
            return AcmeProblem.ServerInternal($"\"{Pki.Display.Literal(attempt.Identifier, 60)}\" is stored as an IP identifier but is not an address.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var where = $"{attempt.Identifier} port {attempt.Port}";
        var stage = "connect";
        try
        {
            var addresses = ip is not null ? [ip] : await resolver.ResolveAsync(attempt.Identifier, deadline.Token).ConfigureAwait(false);
            if (addresses.Count == 0)
            {
                return AcmeProblem.Dns($"{attempt.Identifier}: no address found. Check its DNS record or add it to the panel's validation resolver (acme resolve).");
            }

            var connected = await ConnectAsync(addresses, attempt.Port, deadline.Token).ConfigureAwait(false);
            if (connected.Problem is not null)
            {
                return AcmeProblem.Connection($"{where}: {connected.Problem} Is the client's tls-alpn-01 responder listening there, reachable from the panel?");
            }

            stage = "handshake";
            X509Certificate2? presented = null;
            // The probes' recorder: reads pass through until the box has sent more than any handshake needs, then fail.
            var bounded = new Watch.HandshakeRecorder(new NetworkStream(connected.Socket!, ownsSocket: true), MaxHandshakeBytes);
            await using var tls = new SslStream(bounded, leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = ip is null ? attempt.Identifier : ReverseName(ip),
                ApplicationProtocols = [AcmeTls1],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
#pragma warning disable CA5359 // RFC 8737 §3: the validation certificate is self-signed by design; Check reads what it must hold.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return true;
                },
#pragma warning restore CA5359
            };
            try
            {
                await tls.AuthenticateAsClientAsync(options, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                presented?.Dispose();
                if (deadline.IsCancellationRequested)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return AcmeProblem.Connection($"{where}: no complete TLS handshake within {timeout.TotalSeconds:0} s.");
                }

                return bounded.LimitReached
                    ? AcmeProblem.Tls($"{where}: the box sent more than {MaxHandshakeBytes / 1024} KiB during the TLS handshake; a validation certificate is small.")
                    : AcmeProblem.Tls($"{where}: the TLS handshake with ALPN \"acme-tls/1\" failed ({Reason(e)}). Does the responder offer the acme-tls/1 protocol (RFC 8737)?");
            }

            using (presented)
            {
                if (tls.NegotiatedApplicationProtocol != AcmeTls1)
                {
                    var chosen = tls.NegotiatedApplicationProtocol.Protocol.IsEmpty ? "none" : $"\"{Pki.Display.Literal(tls.NegotiatedApplicationProtocol.ToString(), 40)}\"";
                    return AcmeProblem.Tls($"{where}: the server completed the handshake without choosing the \"acme-tls/1\" protocol (it chose {chosen}), so it is not a tls-alpn-01 responder; an ordinary web server answered.");
                }

                return presented is null
                    ? AcmeProblem.Tls($"{where}: the server sent no certificate.")
                    : Check(presented, attempt, where);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AcmeProblem.Connection($"{where}: no {(stage == "connect" ? "connection" : "complete TLS handshake")} within {timeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>The certificate's checks (RFC 8737 §3, RFC 8738 §6); null when it proves the key authorization.</summary>
    internal static AcmeProblem? Check(X509Certificate2 certificate, ChallengeAttempt attempt, string where)
    {
        var names = ValidationCertificate.SubjectAlternativeNames(certificate);
        if (names is null)
        {
            return AcmeProblem.IncorrectResponse($"{where}: the certificate has no readable subjectAltName; a validation certificate names exactly \"{attempt.Identifier}\".");
        }

        var expected = attempt.IdentifierType == "ip" ? "IP address " + IPAddress.Parse(attempt.Identifier) : "DNS name " + attempt.Identifier;
        if (names.Count != 1 || !string.Equals(names[0], expected, StringComparison.OrdinalIgnoreCase))
        {
            var shown = string.Join(", ", names.Take(5).Select(n => Pki.Display.Literal(n, 80)));
            return AcmeProblem.IncorrectResponse(
                $"{where}: the certificate's subjectAltName must hold exactly one entry, the {expected}; it holds {names.Count} ({shown}{(names.Count > 5 ? ", …" : "")}).");
        }

        var extension = certificate.Extensions.Cast<X509Extension>().Where(e => e.Oid?.Value == AcmeIdentifierOid).ToList();
        if (extension.Count != 1)
        {
            return AcmeProblem.IncorrectResponse(
                $"{where}: the certificate has {(extension.Count == 0 ? "no" : extension.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} acmeIdentifier extension ({AcmeIdentifierOid}); a tls-alpn-01 certificate carries exactly one (RFC 8737 §3).");
        }

        if (!extension[0].Critical)
        {
            return AcmeProblem.IncorrectResponse($"{where}: the certificate's acmeIdentifier extension is not marked critical, as RFC 8737 §3 requires.");
        }

        var digest = ValidationCertificate.AcmeIdentifierDigest(extension[0].RawData);
        if (digest is null)
        {
            return AcmeProblem.IncorrectResponse($"{where}: the certificate's acmeIdentifier extension is not an OCTET STRING of a SHA-256 digest (32 bytes).");
        }

        var wanted = SHA256.HashData(Encoding.ASCII.GetBytes(attempt.KeyAuthorization));
        return CryptographicOperations.FixedTimeEquals(digest, wanted)
            ? null
            : AcmeProblem.Unauthorized($"{where}: the certificate's acmeIdentifier holds the digest of another key authorization, not this challenge's (an old certificate, or another account's).");
    }

    /// <summary>RFC 8738 §6: the address's reverse-DNS name, "4.3.2.1.in-addr.arpa" or the nibble form under ip6.arpa.</summary>
    public static string ReverseName(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Join('.', bytes.Reverse().Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ".in-addr.arpa";
        }

        var nibbles = new StringBuilder();
        foreach (var b in bytes.Reverse())
        {
            nibbles.Append("0123456789abcdef"[b & 0xF]).Append('.').Append("0123456789abcdef"[b >> 4]).Append('.');
        }

        return nibbles.Append("ip6.arpa").ToString();
    }

    private static async Task<(Socket? Socket, string? Problem)> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return (socket, null);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                throw;
            }
        }

        return (null, $"connection to {string.Join(", ", addresses)} failed ({last?.SocketErrorCode}).");
    }

    private static string Reason(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return Pki.Display.Literal(inner.Message.TrimEnd('.'), 160);
    }
}
