using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Dsm;

namespace SynoCertPanel.Core.Tests.Boxes.Dsm;

public sealed class DsmDeliveryTests : IAsyncLifetime
{
    private const string Description = "nas.home.arpa";
    private DsmProtocolServer _dsm = null!;
    private readonly DsmDelivery _method = new(TimeProvider.System, new BoxTlsLimits(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), 64 * 1024));

    public async Task InitializeAsync() => _dsm = await DsmProtocolServer.StartAsync();

    public async Task DisposeAsync() => await _dsm.DisposeAsync();

    private DeliveryTarget Target(Dictionary<string, string>? settings = null, Dictionary<string, string>? secrets = null)
    {
        var all = new Dictionary<string, string> { ["url"] = _dsm.Url, ["account"] = _dsm.Account };
        foreach (var (k, v) in settings ?? [])
        {
            all[k] = v;
        }

        var sealedOnes = new Dictionary<string, string> { ["password"] = _dsm.Password };
        foreach (var (k, v) in secrets ?? [])
        {
            sealedOnes[k] = v;
        }

        return new DeliveryTarget("nas", ["127.0.0.1"], DeliveryOptions.WithDefaults(_method, all), sealedOnes);
    }

    private string[] Secrets(params string?[] more) => [_dsm.Password, .. more.Where(m => m is not null)!];

    [Fact]
    public async Task Deliver_SameDescription_ReplacesTheSameIdKeepingTheDefault_AndDsmServesIt()
    {
        var existing = _dsm.Add(Description, isDefault: true);
        var other = _dsm.Add("other service", isDefault: false);
        var bundle = ProtocolPki.Bundle(Description);

        var outcome = (await _method.DeliverAsync(Target(), bundle, default)).Clean(Secrets());

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Empty(_dsm.Violations);
        Assert.Equal(["GET SYNO.API.Info query", "GET SYNO.API.Auth login", "POST SYNO.Core.Certificate.CRT list", "POST SYNO.Core.Certificate import", "GET SYNO.API.Auth logout"], _dsm.Calls);
        Assert.Equal(2, _dsm.Certificates.Count);
        Assert.Equal((1, true, Description), (existing.Imports, existing.IsDefault, existing.Description));
        Assert.Equal((0, false), (other.Imports, other.IsDefault));
        Assert.Equal(bundle.Sha256Fingerprint, ProtocolPki.Fingerprint(existing.Certificate));
        Assert.Contains("BEGIN CERTIFICATE", existing.Chain, StringComparison.Ordinal);
        Assert.Equal(bundle.Sha256Fingerprint, await BoxProbe.ServedFingerprintAsync(_dsm.ServedPort));
        Assert.Contains($"over id {existing.Id}, kept as the default", string.Join("\n", outcome.Steps), StringComparison.Ordinal);
        Assert.Equal("Logged out.", outcome.Steps[^1]);
        // First contact pinned DSM's own certificate, and the delivered one is trusted too for when DSM's port shows it.
        Assert.Equal(
            BoxTls.ShowAll([ProtocolPki.Fingerprint(_dsm.ApiCertificate), bundle.Sha256Fingerprint]),
            outcome.Learned[BoxTls.FingerprintOption].Replace(",", ", ", StringComparison.Ordinal));
        Assert.Equal(Description, outcome.Learned[DsmOptions.Description]);
    }

    [Fact]
    public async Task Deliver_NewDescription_CreatesANewCertificate_LeavingTheDefaultAlone()
    {
        var existing = _dsm.Add(Description, isDefault: true);
        var before = ProtocolPki.Fingerprint(existing.Certificate);

        var outcome = (await _method.DeliverAsync(Target(new() { ["description"] = "panel managed" }), ProtocolPki.Bundle(Description), default)).Clean(Secrets());

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Empty(_dsm.Violations);
        Assert.Equal(2, _dsm.Certificates.Count);
        var created = _dsm.Certificates[1];
        Assert.Equal(("panel managed", false, 1), (created.Description, created.IsDefault, created.Imports));
        Assert.Equal((0, true), (existing.Imports, existing.IsDefault));
        Assert.Equal(before, await BoxProbe.ServedFingerprintAsync(_dsm.ServedPort));
        Assert.False(outcome.Learned.ContainsKey(DsmOptions.Description));
        Assert.Contains("assign it to services", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_TwoFactor_CodeOnceThenTheDeviceToken()
    {
        _dsm.TwoFactorCode = "123456";
        _dsm.Add(Description, isDefault: true);

        var first = (await _method.DeliverAsync(Target(secrets: new() { ["otp-code"] = "123456" }), ProtocolPki.Bundle(Description), default)).Clean(Secrets("123456"));

        Assert.True(first.Succeeded, first.Message);
        Assert.Equal(string.Empty, first.Learned[DsmOptions.OtpCode]);
        var device = first.Learned[DsmOptions.DeviceId];
        Assert.StartsWith("dev-", device, StringComparison.Ordinal);
        first.Clean(device);
        Assert.Equal(["otp_code", "enable_device_token", "device_name"], _dsm.Logins[0][^3..]);

        var second = (await _method.DeliverAsync(Target(secrets: new() { ["device-id"] = device }), ProtocolPki.Bundle(Description), default)).Clean(Secrets(device));

        Assert.True(second.Succeeded, second.Message);
        Assert.Equal(["device_name", "device_id"], _dsm.Logins[1][^2..]);
        Assert.DoesNotContain("otp_code", _dsm.Logins[1]);
        Assert.Empty(_dsm.Violations);
        Assert.Contains("device token", string.Join("\n", second.Steps), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_TwoFactorWithoutCode_IsSecondFactor_AndAWrongCodeToo()
    {
        _dsm.TwoFactorCode = "123456";

        var noCode = (await _method.TestAsync(Target(), default)).Clean(Secrets());
        var wrongCode = (await _method.TestAsync(Target(secrets: new() { ["otp-code"] = "654321" }), default)).Clean(Secrets("654321"));

        Assert.Equal(DeliveryFailure.SecondFactor, noCode.Failure);
        Assert.Contains("2FA code", noCode.Message, StringComparison.Ordinal);
        Assert.Equal(DeliveryFailure.SecondFactor, wrongCode.Failure);
        Assert.Contains("error 404", wrongCode.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, wrongCode.Learned[DsmOptions.OtpCode]);
        Assert.DoesNotContain(_dsm.Calls, c => c.EndsWith("list", StringComparison.Ordinal));
        Assert.Empty(_dsm.Violations);
    }

    [Fact]
    public async Task Test_WrongPassword_IsLogin_AndNeedsNoLogout()
    {
        _dsm.Password = "the real one";

        var outcome = (await _method.TestAsync(Target(secrets: new() { ["password"] = "a wrong guess" }), default)).Clean("a wrong guess", "the real one");

        Assert.Equal(DeliveryFailure.Login, outcome.Failure);
        Assert.Contains("error 400", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(["GET SYNO.API.Info query", "GET SYNO.API.Auth login"], _dsm.Calls);
    }

    [Fact]
    public async Task Test_DisabledAccount_IsLogin()
    {
        _dsm.Disabled = true;

        var outcome = (await _method.TestAsync(Target(), default)).Clean(Secrets());

        Assert.Equal(DeliveryFailure.Login, outcome.Failure);
        Assert.Contains("disabled", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_NotAnAdministrator_IsPermission_AndLogsOutAfterTheFailure()
    {
        _dsm.IsAdministrator = false;
        _dsm.Add(Description, isDefault: true);

        var outcome = (await _method.DeliverAsync(Target(), ProtocolPki.Bundle(Description), default)).Clean(Secrets());

        Assert.Equal(DeliveryFailure.Permission, outcome.Failure);
        Assert.Contains("error 105", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(["GET SYNO.API.Info query", "GET SYNO.API.Auth login", "POST SYNO.Core.Certificate.CRT list", "GET SYNO.API.Auth logout"], _dsm.Calls);
        Assert.Equal("Logged out.", outcome.Steps[^1]);
        Assert.Empty(_dsm.Violations);
    }

    [Fact]
    public async Task Test_ListsWithoutImporting()
    {
        _dsm.Add(Description, isDefault: true);

        var outcome = (await _method.TestAsync(Target(), default)).Clean(Secrets());

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Contains("Nothing was changed", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(["GET SYNO.API.Info query", "GET SYNO.API.Auth login", "POST SYNO.Core.Certificate.CRT list", "GET SYNO.API.Auth logout"], _dsm.Calls);
        Assert.Equal(0, _dsm.Certificates[0].Imports);
    }

    [Fact]
    public async Task Test_PinLearnedOnFirstContact_AChangedCertificateIsRefusedBeforeThePasswordIsSent()
    {
        var first = (await _method.TestAsync(Target(), default)).Clean(Secrets());
        Assert.True(first.Succeeded, first.Message);
        var pin = first.Learned[BoxTls.FingerprintOption];
        Assert.Equal(BoxTls.Show(ProtocolPki.Fingerprint(_dsm.ApiCertificate)), pin);
        Assert.Contains("on first contact", first.Steps[0], StringComparison.Ordinal);

        var pinned = (await _method.TestAsync(Target(new() { [BoxTls.FingerprintOption] = pin }), default)).Clean(Secrets());
        Assert.True(pinned.Succeeded, pinned.Message);
        Assert.False(pinned.Learned.ContainsKey(BoxTls.FingerprintOption));

        _dsm.ApiCertificate = ProtocolPki.SelfSigned("impostor");
        var logins = _dsm.Logins.Count;
        var changed = (await _method.TestAsync(Target(new() { [BoxTls.FingerprintOption] = pin }), default)).Clean(Secrets());

        Assert.Equal(DeliveryFailure.Tls, changed.Failure);
        Assert.Contains(pin, changed.Message, StringComparison.Ordinal);
        Assert.Contains(BoxTls.Show(ProtocolPki.Fingerprint(_dsm.ApiCertificate)), changed.Message, StringComparison.Ordinal);
        Assert.Equal(logins, _dsm.Logins.Count);
        Assert.Empty(changed.Learned);
    }

    [Fact]
    public async Task Test_HomeCa_TrustsACertificateFromIt_AndRefusesASelfSignedOne()
    {
        var homeCa = new Dictionary<string, string> { [BoxTls.TrustOption] = BoxTls.HomeCaTrust, [BoxTls.CaPemOption] = ProtocolPki.HomeCaPem };
        _dsm.ApiCertificate = ProtocolPki.FromHomeCa();

        var trusted = (await _method.TestAsync(Target(homeCa), default)).Clean(Secrets());

        Assert.True(trusted.Succeeded, trusted.Message);
        Assert.Contains("chains to the home CA", trusted.Steps[0], StringComparison.Ordinal);
        Assert.False(trusted.Learned.ContainsKey(BoxTls.FingerprintOption));

        _dsm.ApiCertificate = ProtocolPki.SelfSigned();
        var logins = _dsm.Logins.Count;
        var refused = (await _method.TestAsync(Target(homeCa), default)).Clean(Secrets());

        Assert.Equal(DeliveryFailure.Tls, refused.Failure);
        Assert.Contains("does not chain to the home CA", refused.Message, StringComparison.Ordinal);
        Assert.Equal(logins, _dsm.Logins.Count);
    }

    [Fact]
    public async Task Test_HomeCaWithoutItsPem_IsSettings_AndNothingIsSent()
    {
        var outcome = (await _method.TestAsync(Target(new() { [BoxTls.TrustOption] = BoxTls.HomeCaTrust }), default)).Clean(Secrets());

        Assert.Equal(DeliveryFailure.Settings, outcome.Failure);
        Assert.Empty(_dsm.Calls);
    }

    [Fact]
    public async Task Test_NothingListening_IsConnect()
    {
        var outcome = (await _method.TestAsync(Target(new() { ["url"] = $"https://127.0.0.1:{BoxProbe.ClosedPort()}" }), default)).Clean(Secrets());

        Assert.Equal(DeliveryFailure.Connect, outcome.Failure);
        Assert.Contains("connection refused", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_ABoxThatNeverAnswers_IsTimeout()
    {
        var method = new DsmDelivery(TimeProvider.System, new BoxTlsLimits(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 64 * 1024));
        var silent = BoxProbe.Silent();
        try
        {
            var started = DateTime.UtcNow;
            var outcome = (await method.TestAsync(Target(new() { ["url"] = $"https://127.0.0.1:{silent.Port()}" }), default)).Clean(Secrets());

            Assert.Equal(DeliveryFailure.Timeout, outcome.Failure);
            Assert.Contains("did not answer", outcome.Message, StringComparison.Ordinal);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task Test_CallerCancels_CancellationPropagates()
    {
        var silent = BoxProbe.Silent();
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _method.TestAsync(Target(new() { ["url"] = $"https://127.0.0.1:{silent.Port()}" }), cancel.Token));
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task Test_UnknownName_IsDns()
    {
        var outcome = (await _method.TestAsync(Target(new() { ["url"] = "https://nas.invalid:5001" }), default)).Clean(Secrets());

        Assert.Equal(DeliveryFailure.Dns, outcome.Failure);
    }

    [Theory]
    [InlineData("<html><body>Web Station default page</body></html>")]
    [InlineData("{\"data\":{}}")]
    [InlineData("oversized")]
    public async Task Test_NotDsmsAnswer_IsProtocol_AndNoPasswordIsSent(string answer)
    {
        _dsm.InfoAnswer = answer == "oversized" ? "{\"pad\":\"" + new string('x', 200 * 1024) + "\"}" : answer;

        var outcome = (await _method.TestAsync(Target(), default)).Clean(Secrets());

        Assert.Equal(DeliveryFailure.Protocol, outcome.Failure);
        Assert.Empty(_dsm.Logins);
    }

    [Fact]
    public async Task Restore_PreviousBundle_GoesBackUnderTheSameId()
    {
        var existing = _dsm.Add(Description, isDefault: true);
        var previous = ProtocolPki.Bundle(Description);
        var next = ProtocolPki.Bundle(Description);
        Assert.True((await _method.DeliverAsync(Target(), previous, default)).Succeeded);
        Assert.True((await _method.DeliverAsync(Target(), next, default)).Succeeded);

        var restored = (await _method.RestoreAsync(Target(), previous, default)).Clean(Secrets());

        Assert.True(restored.Succeeded, restored.Message);
        Assert.Single(_dsm.Certificates);
        Assert.Equal((3, true), (existing.Imports, existing.IsDefault));
        Assert.Equal(previous.Sha256Fingerprint, await BoxProbe.ServedFingerprintAsync(_dsm.ServedPort));
        Assert.Empty(_dsm.Violations);
    }

    [Fact]
    public async Task Restore_NothingHeld_SaysSo_AndChangesNothing()
    {
        var outcome = (await _method.RestoreAsync(Target(), null, default)).Clean(Secrets());

        Assert.False(outcome.Succeeded);
        Assert.Contains("not held in this panel", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_dsm.Calls);
    }
}
