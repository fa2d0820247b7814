using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using SynoCertPanel.Core.Watch;

namespace SynoCertPanel.Core.Tests.Watch;

public class EndpointProbeTests
{
    private static readonly WatchPki Pki = WatchPki.Shared;

    private static EndpointProbe Probe(TimeSpan? handshake = null, int? maxBytes = null) => new(TimeProvider.System, new ProbeOptions
    {
        ConnectTimeout = TimeSpan.FromSeconds(3),
        HandshakeTimeout = handshake ?? TimeSpan.FromSeconds(5),
        MaxHandshakeBytes = maxBytes ?? ProbeOptions.Default.MaxHandshakeBytes,
    });

    [Fact]
    public async Task Probe_LeafAndIntermediate_RecordsChainInOrderAsSent()
    {
        var leaf = Pki.Leaf();
        using var key = WatchPki.WithKey(leaf);
        using var intermediate = Pki.Intermediate.Certificate.ToX509Certificate2();
        await using var server = TlsTestServer.Serve(TlsTestServer.Context(key, intermediate));

        var result = await Probe().ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, WatchPki.BoxName));

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(2, result.ServedChain.Count);
        Assert.Equal(leaf.Certificate.ToDer(), result.ServedChain[0]);
        Assert.Equal(Pki.Intermediate.Certificate.ToDer(), result.ServedChain[1]);
        Assert.Equal(SslProtocols.Tls13, result.Protocol);
        Assert.NotNull(result.CipherSuite);
        Assert.Equal(IPAddress.Loopback, result.RemoteAddress);
        Assert.True(result.Elapsed > TimeSpan.Zero);
        Assert.True(result.BytesReceived > 0);
    }

    [Fact]
    public async Task Probe_ServedChain_EqualsWhatOpenSslShowcertsPrints()
    {
        var leaf = Pki.Leaf();
        using var key = WatchPki.WithKey(leaf);
        using var intermediate = Pki.Intermediate.Certificate.ToX509Certificate2();
        using var root = Pki.Root.Certificate.ToX509Certificate2();
        // The root too, so the order of three certificates is checked; SslStream may leave a root out.
        await using var server = TlsTestServer.Serve(TlsTestServer.Context(key, intermediate, root));

        var result = await Probe().ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, WatchPki.BoxName));
        var printed = await OpenSsl.ShowCertsAsync("127.0.0.1", server.Port, WatchPki.BoxName);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.True(printed.Count >= 2, $"openssl printed {printed.Count} certificates");
        Assert.Equal(printed, result.ServedChain);
    }

    [Fact]
    public async Task Probe_ServerChoosingBySni_RecordsTheCertificateForEachNameAndNoneForAnAddress()
    {
        var nas = Pki.Leaf(["nas.home.arpa"]);
        var proxmox = Pki.Leaf(["pve.home.arpa"]);
        var fallback = Pki.Leaf(["127.0.0.1"]);
        using var nasKey = WatchPki.WithKey(nas);
        using var proxmoxKey = WatchPki.WithKey(proxmox);
        using var fallbackKey = WatchPki.WithKey(fallback);
        var contexts = new Dictionary<string, System.Net.Security.SslStreamCertificateContext>
        {
            ["nas.home.arpa"] = TlsTestServer.Context(nasKey),
            ["pve.home.arpa"] = TlsTestServer.Context(proxmoxKey),
        };
        var byAddress = TlsTestServer.Context(fallbackKey);
        await using var server = TlsTestServer.ServeBySni(name => name is null ? byAddress : contexts.GetValueOrDefault(name));

        var first = await Probe().ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, "nas.home.arpa"));
        var second = await Probe().ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, "pve.home.arpa"));
        var third = await Probe().ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));

        Assert.Equal(nas.Certificate.ToDer(), first.ServedChain[0]);
        Assert.Equal(proxmox.Certificate.ToDer(), second.ServedChain[0]);
        Assert.Equal(fallback.Certificate.ToDer(), third.ServedChain[0]);
        Assert.Equal(["nas.home.arpa", "pve.home.arpa", "(no SNI)"], server.ServerNames.Select(n => n ?? "(no SNI)"));
    }

    [Fact]
    public async Task Probe_Ipv6Loopback_RecordsChain()
    {
        var leaf = Pki.Leaf();
        using var key = WatchPki.WithKey(leaf);
        await using var server = TlsTestServer.Serve(TlsTestServer.Context(key), IPAddress.IPv6Loopback);

        var target = ProbeTarget.For("[::1]", server.Port);
        var result = await Probe().ProbeAsync(target);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Null(target.ServerName);
        Assert.Equal(IPAddress.IPv6Loopback, result.RemoteAddress);
        Assert.Equal(leaf.Certificate.ToDer(), result.ServedChain[0]);
        Assert.Equal("[::1]:" + server.Port, target.ToString());
    }

    [Fact]
    public async Task Probe_NothingListening_ReturnsRefused()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = await Probe().ProbeAsync(ProbeTarget.For("127.0.0.1", port));

        Assert.Equal(ProbeFailureKind.Refused, result.Failure?.Kind);
        Assert.Contains("refused the connection", result.Failure!.Message, StringComparison.Ordinal);
        Assert.Empty(result.ServedChain);
    }

    [Fact]
    public async Task Probe_UnresolvableName_ReturnsDns()
    {
        var result = await Probe().ProbeAsync(ProbeTarget.For("no-such-box.invalid", 443));

        Assert.Equal(ProbeFailureKind.Dns, result.Failure?.Kind);
        Assert.Contains("no-such-box.invalid does not resolve", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ServerThatNeverSpeaks_TimesOutAtTheHandshakeTimeout()
    {
        await using var server = TlsTestServer.Misbehave(ServerBehaviour.Silent);

        var clock = Stopwatch.StartNew();
        var result = await Probe(handshake: TimeSpan.FromSeconds(1)).ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));

        Assert.Equal(ProbeFailureKind.Timeout, result.Failure?.Kind);
        Assert.Contains("accepted the connection but sent nothing", result.Failure!.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Probe_ServerThatTricklesBytes_IsCutByTheHandshakeTimeout()
    {
        await using var server = TlsTestServer.Misbehave(ServerBehaviour.Trickle);

        var clock = Stopwatch.StartNew();
        var result = await Probe(handshake: TimeSpan.FromSeconds(1.5)).ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));

        Assert.Equal(ProbeFailureKind.Timeout, result.Failure?.Kind);
        Assert.Contains("bytes and stopped", result.Failure!.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Probe_ServerSendingMegabytes_IsCutAtTheByteLimit()
    {
        await using var server = TlsTestServer.Misbehave(ServerBehaviour.Flood);

        var clock = Stopwatch.StartNew();
        var result = await Probe(handshake: TimeSpan.FromSeconds(5), maxBytes: 64 * 1024).ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));

        Assert.NotNull(result.Failure);
        Assert.True(result.BytesReceived <= (64 * 1024) + (64 * 1024), $"read {result.BytesReceived} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
        Assert.Equal(ProbeFailureKind.Handshake, result.Failure!.Kind);
    }

    [Fact]
    public async Task Probe_PlainHttpServer_ReturnsNotTlsWithWhatItSaid()
    {
        await using var server = TlsTestServer.Misbehave(ServerBehaviour.PlainHttp);

        var result = await Probe().ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));

        Assert.Equal(ProbeFailureKind.NotTls, result.Failure?.Kind);
        Assert.Contains("\"HTTP/1.1 400 Bad Request\"", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ServerAnsweringWithAnAlert_ReportsTheAlert()
    {
        await using var server = TlsTestServer.Misbehave(ServerBehaviour.Alert);

        var result = await Probe().ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port));

        Assert.Equal(ProbeFailureKind.Handshake, result.Failure?.Kind);
        Assert.Equal(40, result.Failure!.Alert?.Code);
        Assert.Contains("\"handshake failure\"", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_Cancelled_ThrowsAndDoesNotWaitForTheTimeout()
    {
        await using var server = TlsTestServer.Misbehave(ServerBehaviour.Silent);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Probe(handshake: TimeSpan.FromSeconds(30)).ProbeAsync(ProbeTarget.For("127.0.0.1", server.Port), cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("nas.home.arpa", "nas.home.arpa")]
    [InlineData("192.168.1.10", null)]
    [InlineData("[fd00::10]", null)]
    public void ProbeTarget_For_SendsSniOnlyForNames(string host, string? expectedSni)
    {
        Assert.Equal(expectedSni, ProbeTarget.For(host, 443).ServerName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void ProbeTarget_PortOutOfRange_Throws(int port)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbeTarget.For("nas.home.arpa", port));
    }
}
