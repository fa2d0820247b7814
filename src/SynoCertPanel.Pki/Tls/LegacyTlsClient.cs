using System.Security.Authentication;
using System.Text;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace SynoCertPanel.Pki.Tls;

/// <summary>
/// A TLS client that still speaks what old boxes speak: TLS 1.0 to 1.2 with a wide list of cipher suites (CBC, 3DES,
/// SHA-1 signatures, 1024-bit DH). The system's OpenSSL refuses these at Debian's security level before anything is
/// learnt, so the probe asks this client when its own handshake fails, to tell "weak" from "unreachable". It records, it
/// never decides: every server certificate is accepted here and judged by the caller; no application data is ever sent.
/// </summary>
public static class LegacyTlsClient
{
    /// <summary>Runs one handshake over <paramref name="transport"/> (a connected stream the caller owns and times out).</summary>
    /// <param name="transport">The connection; the caller closes it, which also ends a read that ignores cancellation.</param>
    /// <param name="serverName">The SNI name; null sends none, as a client reaching the box by its IP address.</param>
    /// <param name="cancellationToken">The caller's deadline.</param>
    public static async Task<LegacyHandshake> HandshakeAsync(Stream transport, string? serverName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var client = new RecordingClient(new BcTlsCrypto(new SecureRandom()), serverName);
        var protocol = new TlsClientProtocol();
        var buffer = new byte[16 * 1024];
        try
        {
            protocol.Connect(client);
            while (!client.Completed)
            {
                await SendPendingAsync(protocol, transport, buffer, cancellationToken).ConfigureAwait(false);
                var read = await transport.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return LegacyHandshake.Failed("the server closed the connection during the handshake");
                }

                protocol.OfferInput(buffer, 0, read);
            }

            protocol.Close();
            await SendPendingAsync(protocol, transport, buffer, cancellationToken).ConfigureAwait(false);
            return new LegacyHandshake { Protocol = client.Protocol, CipherSuite = client.CipherSuite, ServedChain = client.ServedChain };
        }
        catch (TlsFatalAlertReceived e)
        {
            return LegacyHandshake.Failed($"the server sent the alert \"{AlertDescription.GetText(e.AlertDescription)}\"", e.AlertDescription);
        }
        catch (TlsFatalAlert e)
        {
            return LegacyHandshake.Failed($"the server's answer could not be used ({e.Message})");
        }
        catch (TlsException e)
        {
            return LegacyHandshake.Failed($"the handshake failed ({e.Message})");
        }
    }

    private static async Task SendPendingAsync(TlsClientProtocol protocol, Stream transport, byte[] buffer, CancellationToken cancellationToken)
    {
        int available;
        while ((available = protocol.GetAvailableOutputBytes()) > 0)
        {
            var count = protocol.ReadOutput(buffer, 0, Math.Min(available, buffer.Length));
            await transport.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class RecordingClient(TlsCrypto crypto, string? serverName) : DefaultTlsClient(crypto)
    {
        /// <summary>Strongest first, so a box that can do better is not judged by a worse suite; then what old firmware has.</summary>
        private static readonly int[] WideCipherSuites =
        [
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_DHE_DSS_WITH_AES_128_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_DHE_DSS_WITH_AES_256_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
            Org.BouncyCastle.Tls.CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256,
            Org.BouncyCastle.Tls.CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_RSA_WITH_CAMELLIA_128_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_RSA_WITH_CAMELLIA_256_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA,
            Org.BouncyCastle.Tls.CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
        ];

        public bool Completed { get; private set; }

        public SslProtocols Protocol { get; private set; }

        public int CipherSuite { get; private set; }

        public IReadOnlyList<byte[]> ServedChain { get; private set; } = [];

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv12.DownTo(ProtocolVersion.TLSv10);

        protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, WideCipherSuites);

        protected override IList<ServerName>? GetSniServerNames() =>
            serverName is null ? null : [new ServerName(NameType.host_name, Encoding.ASCII.GetBytes(serverName))];

        // Old boxes still use 1024-bit DH groups; the probe only records, so it accepts them (and calls them weak elsewhere).
        public override TlsDHGroupVerifier GetDHGroupVerifier() => new DefaultTlsDHGroupVerifier(1024);

        public override TlsAuthentication GetAuthentication() => new Recorder(this);

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            var parameters = m_context.SecurityParameters;
            var version = parameters.NegotiatedVersion;
            Protocol = version.Equals(ProtocolVersion.TLSv12) ? SslProtocols.Tls12
#pragma warning disable SYSLIB0039, CA5397 // Naming the old versions is the point: they are what the box speaks.
                : version.Equals(ProtocolVersion.TLSv11) ? SslProtocols.Tls11
                : SslProtocols.Tls;
#pragma warning restore SYSLIB0039, CA5397
            CipherSuite = parameters.CipherSuite;
            Completed = true;
        }

        private sealed class Recorder(RecordingClient client) : TlsAuthentication
        {
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
                var chain = serverCertificate.Certificate;
                client.ServedChain = [.. Enumerable.Range(0, chain.Length).Select(i => chain.GetCertificateAt(i).GetEncoded())];
            }

            public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => null;
        }
    }
}
