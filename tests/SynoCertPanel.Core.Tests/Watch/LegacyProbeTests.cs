using System.Diagnostics;
using System.Security.Authentication;
using SynoCertPanel.Core.Watch;
using SynoCertPanel.Pki.Issuance;

namespace SynoCertPanel.Core.Tests.Watch;

/// <summary>
/// Boxes the panel's own TLS stack cannot talk to (Debian's OpenSSL refuses TLS 1.0/1.1 and legacy signatures at its
/// security level): the legacy second try learns what they serve, so they show as weak with their chain judged; servers
/// that refuse everything, answer with junk or hang stay unreachable with the reason, within the same timeout.
/// </summary>
public sealed class LegacyProbeTests : IDisposable
{
    private static readonly WatchPki Pki = WatchPki.Shared;
    private static readonly EndpointExpectation Home = new() { HomeRoots = [Pki.Root.Certificate], TrustSystemRoots = false };
    private readonly string _directory = Directory.CreateTempSubdirectory("synocert-legacy-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static EndpointProbe Probe(double handshakeSeconds = 5) => new(TimeProvider.System, new ProbeOptions
    {
        ConnectTimeout = TimeSpan.FromSeconds(3),
        HandshakeTimeout = TimeSpan.FromSeconds(handshakeSeconds),
    });

    /// <summary>openssl s_server with the engine's leaf and intermediate, at security level 0 so it may speak the old versions.</summary>
    private Task<OpenSslServer> ServeAsync(IssuedCertificate leaf, params string[] options)
    {
        var cert = Path.Combine(_directory, "leaf.pem");
        var key = Path.Combine(_directory, "leaf.key");
        var chain = Path.Combine(_directory, "chain.pem");
        File.WriteAllText(cert, leaf.Certificate.ToPem());
        File.WriteAllText(key, WatchPki.PemKey(leaf));
        File.WriteAllText(chain, Pki.Intermediate.Certificate.ToPem());
        return OpenSslServer.StartAsync(_directory, cert, key, chain, [.. options, "-cipher", "DEFAULT:@SECLEVEL=0"]);
    }

    [Fact]
    public async Task Probe_ServerSpeakingOnlyTls10_RecordsVersionCipherAndChain_AndIsWeak()
    {
        var leaf = Pki.Leaf();
        using var server = await ServeAsync(leaf, "-tls1");

        var probe = await Probe().ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, WatchPki.BoxName));
        var verdict = EndpointVerdict.Judge(probe, Home with { Latest = leaf.Certificate, BoxAddresses = [WatchPki.BoxName] }, TimeProvider.System);

        Assert.True(probe.Succeeded, probe.Failure?.Message);
#pragma warning disable SYSLIB0039, CA5397
        Assert.Equal(SslProtocols.Tls, probe.Protocol);
#pragma warning restore SYSLIB0039, CA5397
        Assert.NotNull(probe.ModernFailure);
        Assert.Equal([leaf.Certificate.ToDer(), Pki.Intermediate.Certificate.ToDer()], probe.ServedChain);
        Assert.StartsWith("TLS_ECDHE_ECDSA_WITH_", probe.CipherSuite?.ToString(), StringComparison.Ordinal);
        Assert.Equal(EndpointState.Weak, verdict.State);
        Assert.Contains("speaks only TLS 1.0 (browsers refuse it since 2020), with TLS_ECDHE_ECDSA_WITH_", verdict.Message, StringComparison.Ordinal);
        // The chain is judged as any other: trusted through the home root, the name covered, the latest certificate.
        Assert.Single(verdict.Findings);
    }

    [Fact]
    public async Task Probe_Tls10ServerWithAnExpiredLeaf_IsExpiredAndWeak()
    {
        using var server = await ServeAsync(Pki.Leaf(issuedDaysAgo: 100, validityDays: 30), "-tls1");

        var probe = await Probe().ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, WatchPki.BoxName));
        var verdict = EndpointVerdict.Judge(probe, Home, TimeProvider.System);

        Assert.Equal(EndpointState.Expired, verdict.State);
        Assert.True(verdict.Has(EndpointState.Weak), verdict.Message);
    }

    [Fact]
    public async Task Probe_Tls10ServerWithAStrangerChain_IsUntrustedAndWeak()
    {
        using var server = await ServeAsync(WatchPki.SelfSigned(), "-tls1");

        var probe = await Probe().ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, WatchPki.BoxName));
        var verdict = EndpointVerdict.Judge(probe, Home, TimeProvider.System);

        Assert.Equal(EndpointState.Untrusted, verdict.State);
        Assert.True(verdict.Has(EndpointState.Weak), verdict.Message);
    }

    [Fact]
    public async Task Probe_RsaServerSpeakingOnlyTls11ReachedByAddress_SendsNoSni_AndIsWeak()
    {
        var (cert, key) = WriteRsaLeaf();
        using var server = await OpenSslServer.StartAsync(_directory, cert, key, Path.Combine(_directory, "intermediate.pem"), "-tls1_1",
            "-cipher", "DEFAULT:@SECLEVEL=0");

        var probe = await Probe().ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));
        var verdict = EndpointVerdict.Judge(probe, Home, TimeProvider.System);

        Assert.True(probe.Succeeded, probe.Failure?.Message);
#pragma warning disable SYSLIB0039, CA5397
        Assert.Equal(SslProtocols.Tls11, probe.Protocol);
#pragma warning restore SYSLIB0039, CA5397
        Assert.Equal(2, probe.ServedChain.Count);
        Assert.Equal(EndpointState.Weak, verdict.State);
        Assert.Contains("127.0.0.1:" + server.Port + " speaks only TLS 1.1 (browsers refuse it since 2020), with TLS_", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_Tls12ServerSigningOnlyWithSha1_IsWeakForItsLegacySettings()
    {
        using var server = await ServeAsync(Pki.Leaf(), "-tls1_2", "-sigalgs", "ECDSA+SHA1");

        var probe = await Probe().ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, WatchPki.BoxName));
        var verdict = EndpointVerdict.Judge(probe, Home, TimeProvider.System);

        Assert.Equal(SslProtocols.Tls12, probe.Protocol);
        Assert.NotNull(probe.ModernFailure);
        Assert.Equal(EndpointState.Weak, verdict.State);
        Assert.Contains("completes a handshake only with legacy settings that current clients refuse (TLS 1.2, with TLS_ECDHE_ECDSA_WITH_",
            verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_CurrentServer_NeedsNoSecondTry()
    {
        var leaf = Pki.Leaf();
        using var server = await ServeAsync(leaf);

        var probe = await Probe().ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, WatchPki.BoxName));
        var verdict = EndpointVerdict.Judge(probe, Home, TimeProvider.System);

        Assert.Equal(SslProtocols.Tls13, probe.Protocol);
        Assert.Null(probe.ModernFailure);
        Assert.True(verdict.State == EndpointState.Ok, verdict.Message);
    }

    [Fact]
    public async Task Probe_ServerThatRefusesEveryOffer_IsUnreachableWithTheAlert()
    {
        // Pre-shared keys only and no certificate: neither the panel nor the legacy try offers such a suite.
        using var server = await OpenSslServer.StartWithAsync(_directory, "-nocert", "-psk", "1a2b3c4d", "-cipher", "PSK-AES128-CBC-SHA", "-tls1_2");

        var probe = await Probe().ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, WatchPki.BoxName));
        var verdict = EndpointVerdict.Judge(probe, Home, TimeProvider.System);

        Assert.Equal(ProbeFailureKind.Handshake, probe.Failure?.Kind);
        Assert.Equal(40, probe.Failure!.Alert?.Code);
        Assert.Equal(EndpointState.Unreachable, verdict.State);
        Assert.Contains("refused the TLS handshake with the alert \"handshake failure\": it shares no TLS version or cipher suite with the panel, not even TLS 1.0 to 1.2",
            verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_JunkOnThePort_IsNotTlsAndNotTriedTwice()
    {
        await using var server = TlsTestServer.Misbehave(ServerBehaviour.Junk);

        var probe = await Probe().ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));

        Assert.Equal(ProbeFailureKind.NotTls, probe.Failure?.Kind);
        Assert.Contains("answered with the bytes FF", probe.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Probe_JunkThatLooksLikeTls_FailsBothTriesWithBothReasons()
    {
        await using var server = TlsTestServer.Misbehave(ServerBehaviour.TlsLookingJunk);

        var probe = await Probe().ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));
        var verdict = EndpointVerdict.Judge(probe, Home, TimeProvider.System);

        Assert.Equal(ProbeFailureKind.Handshake, probe.Failure?.Kind);
        Assert.Contains("A second try with TLS 1.0 to 1.2 and legacy cipher suites failed too: the server's answer could not be used (unexpected_message(10)",
            probe.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(EndpointState.Unreachable, verdict.State);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task Probe_ServerThatHangsUpOnEveryHello_IsUnreachableWithBothReasons()
    {
        await using var server = TlsTestServer.Misbehave(ServerBehaviour.HangUp);

        var probe = await Probe().ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));

        Assert.Equal(ProbeFailureKind.Handshake, probe.Failure?.Kind);
        Assert.Equal($"127.0.0.1:{server.Port} closed the connection without answering the TLS hello. A second try with TLS 1.0 to 1.2 and legacy cipher suites failed too: the server closed the connection during the handshake.",
            probe.Failure!.Message);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task Probe_ServerThatRefusesThenHangs_EndsWithinTheOneHandshakeTimeout()
    {
        await using var server = TlsTestServer.Misbehave(ServerBehaviour.RefuseThenHang);

        var clock = Stopwatch.StartNew();
        var probe = await Probe(handshakeSeconds: 1.5).ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(3.5));
        Assert.Equal(2, server.Connections);
        // The first try's reason stands: the legacy one ran out of time.
        Assert.Equal(70, probe.Failure?.Alert?.Code);
        Assert.Contains("\"protocol version\"", probe.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ServerThatNeverSpeaks_IsNotTriedTwice()
    {
        await using var server = TlsTestServer.Misbehave(ServerBehaviour.Silent);

        var probe = await Probe(handshakeSeconds: 1).ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));

        Assert.Equal(ProbeFailureKind.Timeout, probe.Failure?.Kind);
        Assert.Equal(1, server.Connections);
    }

    /// <summary>An RSA-2048 leaf for 127.0.0.1 signed by openssl under the engine's intermediate, as an old box's firmware has.</summary>
    private (string Cert, string Key) WriteRsaLeaf()
    {
        var caCert = Path.Combine(_directory, "intermediate.pem");
        var caKey = Path.Combine(_directory, "intermediate.key");
        File.WriteAllText(caCert, Pki.Intermediate.Certificate.ToPem());
        File.WriteAllText(caKey, WatchPki.PemKey(Pki.Intermediate));
        File.WriteAllText(Path.Combine(_directory, "ext"),
            "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n");
        OpenSsl.Run(_directory, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.csr", "-subj", "/CN=old-box");
        OpenSsl.Run(_directory, "x509", "-req", "-in", "rsa.csr", "-CA", caCert, "-CAkey", caKey, "-sha256", "-days", "90", "-out", "rsa.pem", "-extfile", "ext");
        return (Path.Combine(_directory, "rsa.pem"), Path.Combine(_directory, "rsa.key"));
    }
}
