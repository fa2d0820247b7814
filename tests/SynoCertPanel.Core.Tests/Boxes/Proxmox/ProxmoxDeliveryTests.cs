using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Proxmox;

namespace SynoCertPanel.Core.Tests.Boxes.Proxmox;

public sealed class ProxmoxDeliveryTests : IAsyncLifetime
{
    private ProxmoxProtocolServer _pve = null!;
    private readonly ProxmoxDelivery _method = new(TimeProvider.System, new BoxTlsLimits(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), 64 * 1024));

    public async Task InitializeAsync() => _pve = await ProxmoxProtocolServer.StartAsync();

    public async Task DisposeAsync() => await _pve.DisposeAsync();

    private DeliveryTarget Target(Dictionary<string, string>? settings = null, string? secret = null)
    {
        var all = new Dictionary<string, string> { ["url"] = _pve.Url, ["node"] = _pve.Node, ["token-id"] = _pve.TokenId };
        foreach (var (k, v) in settings ?? [])
        {
            all[k] = v;
        }

        return new DeliveryTarget("pve", ["127.0.0.1"], DeliveryOptions.WithDefaults(_method, all), new Dictionary<string, string> { ["token-secret"] = secret ?? _pve.TokenSecret });
    }

    [Fact]
    public async Task Deliver_UploadsChainAndKeyWithTheTokenHeader_AndTheNodeServesIt()
    {
        var bundle = ProtocolPki.Bundle("pve1.home.arpa", "pve1.home.arpa");
        var own = ProtocolPki.Fingerprint(_pve.ApiCertificate);

        var outcome = (await _method.DeliverAsync(Target(), bundle, default)).Clean(_pve.TokenSecret);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Empty(_pve.Violations);
        Assert.Equal([$"POST /api2/json/nodes/{_pve.Node}/certificates/custom"], _pve.Calls);
        Assert.Equal(bundle.FullChainPem, _pve.CustomChain);
        Assert.Equal(bundle.Sha256Fingerprint, await BoxProbe.ServedFingerprintAsync(_pve.ServedPort));
        Assert.Equal(BoxTls.Show(own) + "," + BoxTls.Show(bundle.Sha256Fingerprint), outcome.Learned[BoxTls.FingerprintOption]);
    }

    [Fact]
    public async Task Deliver_AgainAfterTheProxyRestarted_TrustsTheDeliveredCertificate_AndDropsTheOldPin()
    {
        var first = await _method.DeliverAsync(Target(), ProtocolPki.Bundle("pve1"), default);
        Assert.True(first.Succeeded, first.Message);
        var pins = first.Learned[BoxTls.FingerprintOption];
        var second = ProtocolPki.Bundle("pve1");

        var outcome = (await _method.DeliverAsync(Target(new() { [BoxTls.FingerprintOption] = pins }), second, default)).Clean(_pve.TokenSecret);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(pins.Split(',')[1] + "," + BoxTls.Show(second.Sha256Fingerprint), outcome.Learned[BoxTls.FingerprintOption]);
        Assert.Equal(second.Sha256Fingerprint, await BoxProbe.ServedFingerprintAsync(_pve.ServedPort));
    }

    [Fact]
    public async Task Deliver_WrongSecret_IsLogin()
    {
        const string wrong = "ffffffff-0000-1111-2222-333333333333";

        var outcome = (await _method.DeliverAsync(Target(secret: wrong), ProtocolPki.Bundle("pve1"), default)).Clean(wrong, _pve.TokenSecret);

        Assert.Equal(DeliveryFailure.Login, outcome.Failure);
        Assert.Contains("authentication failure", outcome.Message, StringComparison.Ordinal);
        Assert.Null(_pve.Custom);
        Assert.Empty(_pve.Violations);
    }

    [Fact]
    public async Task Deliver_TokenWithoutSysModify_IsPermission()
    {
        _pve.Privileged = false;

        var outcome = (await _method.DeliverAsync(Target(), ProtocolPki.Bundle("pve1"), default)).Clean(_pve.TokenSecret);

        Assert.Equal(DeliveryFailure.Permission, outcome.Failure);
        Assert.Contains("Sys.Modify on /nodes/pve1", outcome.Message, StringComparison.Ordinal);
        Assert.Null(_pve.Custom);
    }

    [Fact]
    public async Task Deliver_ProxmoxFailsToWrite_IsWrite_WithItsMessage()
    {
        _pve.UploadFailure = "unable to write '/etc/pve/nodes/pve1/pveproxy-ssl.pem.tmp' - No space left on device";

        var outcome = (await _method.DeliverAsync(Target(), ProtocolPki.Bundle("pve1"), default)).Clean(_pve.TokenSecret);

        Assert.Equal(DeliveryFailure.Write, outcome.Failure);
        Assert.Contains("No space left on device", outcome.Message, StringComparison.Ordinal);
        Assert.False(outcome.Learned.ContainsKey(BoxTls.FingerprintOption) && outcome.Learned[BoxTls.FingerprintOption].Contains(',', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_ReadsTheCertificateList_AndChangesNothing()
    {
        var outcome = (await _method.TestAsync(Target(), default)).Clean(_pve.TokenSecret);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal([$"GET /api2/json/nodes/{_pve.Node}/certificates/info"], _pve.Calls);
        Assert.Contains("pve-ssl.pem", string.Join("\n", outcome.Steps), StringComparison.Ordinal);
        Assert.Contains("nothing was changed", outcome.Message, StringComparison.Ordinal);
        Assert.Null(_pve.Custom);
        Assert.Empty(_pve.Violations);
    }

    [Fact]
    public async Task Test_UnknownNode_SaysToCheckTheNode()
    {
        var outcome = (await _method.TestAsync(Target(new() { ["node"] = "pve9" }), default)).Clean(_pve.TokenSecret);

        Assert.False(outcome.Succeeded);
        Assert.Contains("pve9", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_ChangedProxyCertificate_IsRefusedBeforeTheTokenIsSent()
    {
        var pin = BoxTls.Show(ProtocolPki.Fingerprint(_pve.ApiCertificate));
        _pve.ApiCertificate = ProtocolPki.SelfSigned("impostor");

        var outcome = (await _method.DeliverAsync(Target(new() { [BoxTls.FingerprintOption] = pin }), ProtocolPki.Bundle("pve1"), default)).Clean(_pve.TokenSecret);

        Assert.Equal(DeliveryFailure.Tls, outcome.Failure);
        Assert.Contains(pin, outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_pve.Calls);
    }

    [Fact]
    public async Task Restore_UploadsThePreviousBundle()
    {
        var previous = ProtocolPki.Bundle("pve1");
        Assert.True((await _method.DeliverAsync(Target(), ProtocolPki.Bundle("pve1"), default)).Succeeded);

        var restored = (await _method.RestoreAsync(Target(new() { [BoxTls.FingerprintOption] = BoxTls.Show(ProtocolPki.Fingerprint(_pve.ApiCertificate)) }), previous, default)).Clean(_pve.TokenSecret);

        Assert.True(restored.Succeeded, restored.Message);
        Assert.Equal(previous.Sha256Fingerprint, await BoxProbe.ServedFingerprintAsync(_pve.ServedPort));
        Assert.Equal(previous.FullChainPem, _pve.CustomChain);
        Assert.Empty(_pve.Violations);
    }

    [Fact]
    public async Task Restore_NothingHeld_SaysSo_AndCallsNothing()
    {
        var outcome = (await _method.RestoreAsync(Target(), null, default)).Clean(_pve.TokenSecret);

        Assert.Equal(DeliveryFailure.Settings, outcome.Failure);
        Assert.Contains("nothing was changed", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_pve.Calls);
    }
}

public sealed class ProxmoxOptionsTests
{
    private const string Secret = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    private static readonly ProxmoxDelivery Method = new(TimeProvider.System);

    private static string? Refusal(Dictionary<string, string> settings, string secret = Secret)
    {
        var all = new Dictionary<string, string> { ["url"] = "https://pve.home.arpa:8006", ["node"] = "pve1", ["token-id"] = "certs@pve!panel" };
        foreach (var (k, v) in settings)
        {
            all[k] = v;
        }

        return DeliveryOptions.Check(Method, all, new Dictionary<string, string> { ["token-secret"] = secret }).Error;
    }

    [Fact]
    public void Check_GoodValues_AreAccepted()
    {
        Assert.Null(Refusal([]));
        Assert.Null(Refusal(new() { ["url"] = "https://pbs.home.arpa:8007", ["node"] = "localhost", ["token-id"] = "root@pam!cert-upload_1" }));
    }

    [Theory]
    [InlineData("node", "pve1/../../access", "not a Proxmox node name")]
    [InlineData("node", "pve1/qemu", "not a Proxmox node name")]
    [InlineData("node", "pve1.home.arpa", "not a Proxmox node name")]
    [InlineData("node", "-pve", "not a Proxmox node name")]
    [InlineData("token-id", "root@pam", "user@realm!tokenid")]
    [InlineData("token-id", "root!panel", "user@realm!tokenid")]
    [InlineData("token-id", "root@pam!panel=extra", "user@realm!tokenid")]
    [InlineData("token-id", "root@pam!panel\r\nX-Injected: 1", "user@realm!tokenid")]
    [InlineData("token-id", "ro ot@pam!panel", "user@realm!tokenid")]
    [InlineData("url", "http://pve.home.arpa:8006", "https://")]
    [InlineData("url", "https://root:pw@pve.home.arpa:8006", "user name or password")]
    [InlineData("url", "https://pve.home.arpa:8006/api2/json", "path, query or fragment")]
    public void Check_HostileSetting_IsRefused(string name, string value, string expected) =>
        Assert.Contains(expected, Refusal(new() { [name] = value }), StringComparison.Ordinal);

    [Theory]
    [InlineData("abc def")]
    [InlineData("abc\r\nX-Injected: 1")]
    [InlineData("secret=value")]
    public void Check_BadSecret_IsRefusedWithoutRepeatingIt(string secret)
    {
        var refusal = Refusal([], secret);

        Assert.NotNull(refusal);
        Assert.DoesNotContain(secret.Trim(), refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_HelpNamesTheBackupServerPort() =>
        Assert.Contains("8007", Method.Options.Single(o => o.Name == "url").Help, StringComparison.Ordinal);
}
