using SynoCertPanel.Core.Watch;
using SynoCertPanel.Pki.Issuance;

namespace SynoCertPanel.Core.Tests.Watch;

/// <summary>Probe then judge, against real servers: what the operator would see for each kind of box.</summary>
public sealed class ServedVerdictTests : IDisposable
{
    private static readonly WatchPki Pki = WatchPki.Shared;
    private readonly string _directory = Directory.CreateTempSubdirectory("synocert-watch-").FullName;

    private static readonly EndpointExpectation Home = new() { HomeRoots = [Pki.Root.Certificate], TrustSystemRoots = false };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<EndpointVerdict> ProbeAndJudgeAsync(IssuedCertificate served, EndpointExpectation expected, string host = "127.0.0.1",
        string? serverName = WatchPki.BoxName)
    {
        using var key = WatchPki.WithKey(served);
        var chain = served.Chain.Where(c => !c.IsSelfIssued).Select(c => c.ToX509Certificate2()).ToArray();
        try
        {
            await using var server = TlsTestServer.Serve(TlsTestServer.Context(key, chain));
            var probe = await new EndpointProbe(TimeProvider.System).ProbeAsync(new ProbeTarget(host, server.Port, serverName));
            return EndpointVerdict.Judge(probe, expected, TimeProvider.System);
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    [Fact]
    public async Task Served_CurrentLeafFromTheHomeCa_IsOk()
    {
        var leaf = Pki.Leaf();

        var verdict = await ProbeAndJudgeAsync(leaf, Home with { Latest = leaf.Certificate, BoxAddresses = [WatchPki.BoxName, "127.0.0.1"] });

        Assert.True(verdict.State == EndpointState.Ok, verdict.Message);
        Assert.Single(verdict.Findings);
    }

    [Fact]
    public async Task Served_Expired_IsExpired()
    {
        var verdict = await ProbeAndJudgeAsync(Pki.Leaf(issuedDaysAgo: 100, validityDays: 30), Home);

        Assert.Equal(EndpointState.Expired, verdict.State);
    }

    [Fact]
    public async Task Served_ExpiringInFiveDays_IsExpiringAtSevenDays()
    {
        var verdict = await ProbeAndJudgeAsync(Pki.Leaf(issuedDaysAgo: 25, validityDays: 30), Home);

        Assert.Equal((EndpointState.Expiring, (int?)7), (verdict.State, verdict.ThresholdDays));
    }

    [Fact]
    public async Task Served_WrongName_IsNameNotCovered()
    {
        var verdict = await ProbeAndJudgeAsync(Pki.Leaf(["files.home.arpa"]), Home);

        Assert.Equal(EndpointState.NameNotCovered, verdict.State);
    }

    [Fact]
    public async Task Served_SelfSignedByAStranger_IsUntrusted()
    {
        var verdict = await ProbeAndJudgeAsync(WatchPki.SelfSigned(), Home);

        Assert.Equal(EndpointState.Untrusted, verdict.State);
    }

    [Fact]
    public async Task Served_OldCertificateAfterANewOneWasIssued_IsNotLatest()
    {
        var old = Pki.Leaf(issuedDaysAgo: 30);
        var latest = Pki.Leaf();

        var verdict = await ProbeAndJudgeAsync(old, Home with { Latest = latest.Certificate });

        Assert.Equal(EndpointState.NotLatest, verdict.State);
        Assert.Contains(latest.Certificate.SerialNumberHex, verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Served_Rsa1024LeafSignedWithSha1_IsWeakForBoth()
    {
        var (cert, key, chain) = WriteWeakLeaf();
        using var server = await OpenSslServer.StartAsync(_directory, cert, key, chain, "-cipher", "DEFAULT@SECLEVEL=0");

        var probe = await new EndpointProbe(TimeProvider.System).ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, WatchPki.BoxName));
        var verdict = EndpointVerdict.Judge(probe, Home, TimeProvider.System);

        Assert.True(probe.Succeeded, probe.Failure?.Message);
        var weak = verdict.Findings.Where(f => f.State == EndpointState.Weak).Select(f => f.Message).ToList();
        Assert.Contains(weak, m => m.Contains("RSA 1024", StringComparison.Ordinal));
        Assert.Contains(weak, m => m.Contains("SHA-1", StringComparison.Ordinal));
        Assert.True(verdict.Severity >= new EndpointFinding(EndpointState.Weak, "").Severity,
            string.Join(" | ", verdict.Findings.Select(f => f.Message)));
    }

    [Fact]
    public async Task Probe_ChainSentOutOfOrder_IsRecordedInTheOrderSent()
    {
        var leaf = Pki.Leaf();
        var cert = Path.Combine(_directory, "leaf.pem");
        var key = Path.Combine(_directory, "leaf.key");
        var chain = Path.Combine(_directory, "root-then-intermediate.pem");
        File.WriteAllText(cert, leaf.Certificate.ToPem());
        File.WriteAllText(key, WatchPki.PemKey(leaf));
        File.WriteAllText(chain, Pki.Root.Certificate.ToPem() + Pki.Intermediate.Certificate.ToPem());
        using var server = await OpenSslServer.StartAsync(_directory, cert, key, chain);

        var probe = await new EndpointProbe(TimeProvider.System).ProbeAsync(new ProbeTarget("127.0.0.1", server.Port, WatchPki.BoxName));
        var printed = await OpenSsl.ShowCertsAsync("127.0.0.1", server.Port, WatchPki.BoxName);
        var verdict = EndpointVerdict.Judge(probe, Home, TimeProvider.System);

        Assert.Equal([leaf.Certificate.ToDer(), Pki.Root.Certificate.ToDer(), Pki.Intermediate.Certificate.ToDer()], probe.ServedChain);
        Assert.Equal(printed, probe.ServedChain);
        // Clients sort a shuffled chain out themselves, so the order alone is no problem.
        Assert.True(verdict.State == EndpointState.Ok, verdict.Message);
    }

    /// <summary>The engine issues neither RSA-1024 nor SHA-1, so openssl makes this leaf, under the engine's intermediate.</summary>
    private (string Cert, string Key, string Chain) WriteWeakLeaf()
    {
        var caCert = Path.Combine(_directory, "intermediate.pem");
        var caKey = Path.Combine(_directory, "intermediate.key");
        File.WriteAllText(caCert, Pki.Intermediate.Certificate.ToPem());
        File.WriteAllText(caKey, WatchPki.PemKey(Pki.Intermediate));
        File.WriteAllText(Path.Combine(_directory, "ext"),
            $"subjectAltName=DNS:{WatchPki.BoxName},IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n");
        OpenSsl.Run(_directory, "req", "-newkey", "rsa:1024", "-nodes", "-keyout", "weak.key", "-out", "weak.csr", "-subj", "/CN=" + WatchPki.BoxName);
        OpenSsl.Run(_directory, "x509", "-req", "-in", "weak.csr", "-CA", caCert, "-CAkey", caKey, "-sha1", "-days", "90", "-out", "weak.pem",
            "-extfile", "ext");
        return (Path.Combine(_directory, "weak.pem"), Path.Combine(_directory, "weak.key"), caCert);
    }
}
