using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Ssh;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Watch;
using Xunit.Abstractions;

namespace SynoCertPanel.Core.Tests.Boxes.Ssh;

/// <summary>The whole deploy through the store: a box added with its options, a certificate issued by the panel's CA, delivered over a real sshd to a real nginx, verified by handshake.</summary>
public sealed class SshDeployTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PanelFixture _panel = null!;
    private SshLab _lab = null!;
    private int _authorityId;
    private string _rootPem = string.Empty;

    private BoxDeliveries Deliveries => BoxDeliveries.Standard(_panel.Time);

    private BoxService Boxes => new(_panel.Storage, Deliveries, _panel.Time);

    private DeployService Deploys => new(_panel.Storage, Deliveries, new EndpointProbe(_panel.Time), _panel.Time) { VerifyWindow = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        _panel = await PanelFixture.CreateAsync();
        _lab = await SshLab.StartAsync();
        var created = (await _panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("panel", "panel.lan"), "admin")).Value;
        _authorityId = created.AuthorityId;
        await using var db = _panel.Storage.CreateContext();
        var root = await db.Certificates.SingleAsync(c => c.Id == created.AuthorityCertificateId);
        _rootPem = Pki.Formats.Pem.Encode(Pki.Formats.Pem.CertificateLabel, root.Der);
    }

    public async Task DisposeAsync()
    {
        _lab.Dispose();
        await _panel.DisposeAsync();
    }

    [Fact]
    public async Task Deploy_OverSshToNginx_IssuesForTheBoxNames_PinsTheHostKey_AndNginxServesIt()
    {
        var nginx = await _lab.StartNginxAsync();
        var endpoint = string.Create(CultureInfo.InvariantCulture, $"localhost:{nginx.Port}");
        var added = await Boxes.AddAsync(new BoxDraft
        {
            Name = "linux",
            Addresses = ["localhost", "127.0.0.1"],
            Watch = [endpoint, string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{nginx.Port}")],
            Delivery = "ssh",
            Settings = new Dictionary<string, string>
            {
                [SshOptions.Host] = "127.0.0.1",
                [SshOptions.Port] = _lab.Sshd.Port.ToString(CultureInfo.InvariantCulture),
                [SshOptions.User] = SshdServer.User,
                [SshOptions.ChainPath] = nginx.FullChainPath,
                [SshOptions.KeyPath] = nginx.KeyPath,
                [SshOptions.ReloadCommand] = nginx.ReloadCommand,
            },
            Secrets = new Dictionary<string, string> { [SshOptions.PrivateKey] = _lab.Sshd.LoginKey.PrivateKey },
            AuthorityId = _authorityId,
        }, "admin");
        Assert.True(added.IsSuccess, added.Error);

        var deployed = await Deploys.DeployAsync("linux", null, "admin");

        output.WriteLine(string.Join('\n', deployed.Value.Steps));
        Assert.Equal(DeploymentOutcome.Succeeded, deployed.Value.Outcome);
        var box = (await Boxes.FindAsync("linux")).Value;
        Assert.Equal(_lab.Sshd.HostKeyFingerprint, box.Settings[SshOptions.HostKey]);
        await using var db = _panel.Storage.CreateContext();
        var expected = (await db.Certificates.SingleAsync(c => c.Id == deployed.Value.CertificateId)).Sha256Fingerprint;
        // An old nginx worker may still take a connection for a moment after the reload; the new ones serve the new file.
        using var served = await nginx.ServedAfterReloadAsync(expected);
        Assert.Equal(expected, NginxServer.Fingerprint(served));
        var rootFile = Path.Combine(_lab.Directory, "panel-root.pem");
        var leafFile = Path.Combine(_lab.Directory, "served.pem");
        await File.WriteAllTextAsync(rootFile, _rootPem);
        await File.WriteAllTextAsync(leafFile, served.ExportCertificatePem());
        var verify = PanelFixture.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "localhost", "-CAfile", rootFile, leafFile);
        Assert.True(verify.ExitCode == 0, verify.Output);
    }

    [Fact]
    public async Task Add_WithoutALoginKey_MakesOne_WhosePublicLineARealSshdAccepts()
    {
        var added = await Boxes.AddAsync(new BoxDraft
        {
            Name = "fresh",
            Addresses = ["127.0.0.1"],
            Delivery = "ssh",
            Settings = new Dictionary<string, string> { [SshOptions.User] = SshdServer.User, [SshOptions.CertPath] = "/tmp/unused/cert.pem" },
        }, "admin");
        Assert.True(added.IsSuccess, added.Error);
        var line = added.Value.Settings[BoxService.PublicKeySetting];
        Assert.StartsWith("ecdsa-sha2-nistp256 ", line, StringComparison.Ordinal);
        Assert.EndsWith(" synocertpanel-fresh", line, StringComparison.Ordinal);
        Assert.Contains(SshOptions.PrivateKey, added.Value.SecretsSet);
        var opened = (await Boxes.OpenTargetAsync("fresh")).Value;
        var privateKey = opened.Target.SecretValue(SshOptions.PrivateKey)!;

        using var sshd = await SshdServer.StartAsync(Path.Combine(_lab.Directory, "fresh-sshd"), new SshKeyPair(privateKey, line));
        var tested = await _lab.Delivery.TestAsync(sshd.Target(new Dictionary<string, string> { [SshOptions.CertPath] = Path.Combine(_lab.Directory, "cert.pem") }, privateKey),
            CancellationToken.None);

        Assert.True(tested.Succeeded, tested.Message + "\n" + string.Join('\n', tested.Steps));
    }

    [Fact]
    public async Task Edit_ForgetPin_AfterTheBoxIsReinstalled_TrustsItsNewHostKeyOnNextContact()
    {
        var folder = _lab.Folder("reinstalled");
        var added = await Boxes.AddAsync(new BoxDraft
        {
            Name = "linux",
            Addresses = ["127.0.0.1"],
            Delivery = "ssh",
            Settings = new Dictionary<string, string>
            {
                [SshOptions.Host] = "127.0.0.1",
                [SshOptions.Port] = _lab.Sshd.Port.ToString(CultureInfo.InvariantCulture),
                [SshOptions.User] = SshdServer.User,
                [SshOptions.CertPath] = Path.Combine(folder, "cert.pem"),
            },
            Secrets = new Dictionary<string, string> { [SshOptions.PrivateKey] = _lab.Sshd.LoginKey.PrivateKey },
        }, "admin");
        Assert.True(added.IsSuccess, added.Error);
        Assert.True((await Boxes.TestAsync("linux", "admin")).Value.Succeeded);
        Assert.Equal(_lab.Sshd.HostKeyFingerprint, (await Boxes.FindAsync("linux")).Value.Settings[SshOptions.HostKey]);
        var reinstalled = await _lab.StartOtherSshdAsync();
        var moved = await Boxes.UpdateAsync("linux", new BoxChange
        {
            Settings = new Dictionary<string, string> { [SshOptions.Port] = reinstalled.Port.ToString(CultureInfo.InvariantCulture) },
        }, "admin");
        Assert.True(moved.IsSuccess, moved.Error);

        var refused = await Boxes.TestAsync("linux", "admin");
        var forgotten = await Boxes.UpdateAsync("linux", new BoxChange { ForgetPin = true }, "admin");
        var trusted = await Boxes.TestAsync("linux", "admin");

        Assert.Equal(DeliveryFailure.HostKey, refused.Value.Failure);
        Assert.True(forgotten.IsSuccess, forgotten.Error);
        Assert.False(forgotten.Value.Settings.ContainsKey(SshOptions.HostKey));
        Assert.Equal([SshOptions.PrivateKey], forgotten.Value.SecretsSet);
        Assert.True(trusted.Value.Succeeded, trusted.Value.Message);
        Assert.Equal(reinstalled.HostKeyFingerprint, (await Boxes.FindAsync("linux")).Value.Settings[SshOptions.HostKey]);
        Assert.NotEqual(_lab.Sshd.HostKeyFingerprint, reinstalled.HostKeyFingerprint);
        await using var db = _panel.Storage.CreateContext();
        var audit = await db.AuditEvents.Where(a => a.Action == Audit.AuditActions.UpdateBox).OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync();
        Assert.Equal(["Changed: settings port.", "Changed: settings host-key; pinned host key and TLS fingerprint forgotten."], audit);
    }

    [Fact]
    public async Task Edit_KeepsTheLoginKeyThePanelMade_AndItsPublicLine()
    {
        var added = await Boxes.AddAsync(new BoxDraft
        {
            Name = "fresh",
            Addresses = ["127.0.0.1"],
            Delivery = "ssh",
            Settings = new Dictionary<string, string> { [SshOptions.User] = SshdServer.User, [SshOptions.CertPath] = "/tmp/unused/cert.pem" },
        }, "admin");
        var key = (await Boxes.OpenTargetAsync("fresh")).Value.Target.SecretValue(SshOptions.PrivateKey);

        var edited = await Boxes.UpdateAsync("fresh", new BoxChange { Settings = new Dictionary<string, string> { [SshOptions.ReloadCommand] = "nginx -s reload" } }, "admin");

        Assert.True(edited.IsSuccess, edited.Error);
        Assert.Equal(added.Value.Settings[BoxService.PublicKeySetting], edited.Value.Settings[BoxService.PublicKeySetting]);
        Assert.Equal(key, (await Boxes.OpenTargetAsync("fresh")).Value.Target.SecretValue(SshOptions.PrivateKey));
    }
}
