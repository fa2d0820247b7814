using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Webhook;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Watch;

namespace SynoCertPanel.Core.Tests.Boxes.Webhook;

public sealed class WebhookDeployTests : IAsyncLifetime
{
    private const string Secret = "a-signing-secret-of-32-characters";
    private WebhookBox _box = null!;
    private PanelFixture _panel = null!;
    private int _authorityId;

    private BoxDeliveries Deliveries => BoxDeliveries.Standard(_panel.Time);

    private BoxService Boxes => new(_panel.Storage, Deliveries, _panel.Time);

    private DeployService Deploys => new(_panel.Storage, Deliveries, new EndpointProbe(_panel.Time), _panel.Time)
    {
        VerifyWindow = TimeSpan.FromSeconds(2),
        VerifyRetryDelay = TimeSpan.FromMilliseconds(200),
    };

    public async Task InitializeAsync()
    {
        _box = WebhookBox.Start(Secret);
        _panel = await PanelFixture.CreateAsync();
        _authorityId = (await _panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("panel", "panel.lan"), "admin")).Value.AuthorityId;
    }

    public async Task DisposeAsync()
    {
        await _box.DisposeAsync();
        await _panel.DisposeAsync();
    }

    private async Task AddBoxAsync(string secret = Secret) => Assert.True((await Boxes.AddAsync(new BoxDraft
    {
        Name = "hooked",
        Addresses = ["localhost", "127.0.0.1"],
        Watch = [string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_box.TlsPort}"), string.Create(CultureInfo.InvariantCulture, $"localhost:{_box.TlsPort}")],
        Delivery = "webhook",
        Settings = new Dictionary<string, string> { ["url"] = _box.Url },
        Secrets = new Dictionary<string, string> { ["secret"] = secret },
        AuthorityId = _authorityId,
    }, "admin")).IsSuccess);

    [Fact]
    public async Task Deploy_FromTheBoxCa_IssuesDeliversSignedAndVerifiesEveryEndpoint()
    {
        await AddBoxAsync();
        var steps = new List<string>();

        var deployed = await Deploys.DeployAsync("hooked", null, "admin", new Progress<string>(steps.Add));

        Assert.True(deployed.IsSuccess, deployed.Error);
        Assert.Equal(DeploymentOutcome.Succeeded, deployed.Value.Outcome);
        Assert.Empty(_box.BadSignatures);
        var received = Assert.Single(_box.Received);
        Assert.Equal("deploy", received.GetProperty("event").GetString());
        await using var db = _panel.Storage.CreateContext();
        var issued = await db.Certificates.SingleAsync(c => c.Id == deployed.Value.CertificateId);
        Assert.Equal(issued.Sha256Fingerprint, _box.ServedFingerprint);
        Assert.Equal("DNS:localhost\nIP:127.0.0.1", issued.AlternativeNames.Replace("IP Address:", "IP:", StringComparison.Ordinal));
        Assert.Equal(deployed.Value.CertificateId, (await db.Boxes.SingleAsync()).CertificateId);
        Assert.Contains(deployed.Value.Steps, s => s.StartsWith("Verified: localhost:", StringComparison.Ordinal));
        Assert.Contains(deployed.Value.Steps, s => s.StartsWith("Verified: 127.0.0.1:", StringComparison.Ordinal));
        Assert.Equal(AuditActions.DeployBox, (await _panel.LastAuditAsync()).Action);

        // The bundle the receiver got verifies against the panel's root with an independent verifier.
        var dir = Directory.CreateTempSubdirectory("webhook-bundle-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "root.pem"), received.GetProperty("root").GetString());
        await File.WriteAllTextAsync(Path.Combine(dir, "leaf.pem"), received.GetProperty("certificate").GetString());
        var verify = PanelFixture.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", Path.Combine(dir, "root.pem"), Path.Combine(dir, "leaf.pem"));
        Assert.True(verify.ExitCode == 0, verify.Output);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Deploy_ReceiverKeepsServingTheOldCertificate_RollsBackAndSaysSo()
    {
        await AddBoxAsync();
        var first = (await Deploys.DeployAsync("hooked", null, "admin")).Value;
        _box.InstallOnDeploy = false;

        var second = await Deploys.DeployAsync("hooked", null, "admin");

        Assert.True(second.IsSuccess, second.Error);
        Assert.Equal(DeploymentOutcome.RolledBack, second.Value.Outcome);
        Assert.Equal("verify", second.Value.Failure);
        Assert.Contains("still serves another certificate", second.Value.Message, StringComparison.Ordinal);
        Assert.Equal(["deploy", "deploy", "restore"], _box.Received.Select(r => r.GetProperty("event").GetString()));
        Assert.Equal(first.CertificateId, _box.Received[^1].GetProperty("certificateId").GetInt32());
        await using var db = _panel.Storage.CreateContext();
        Assert.Equal(first.CertificateId, (await db.Boxes.SingleAsync()).CertificateId);
        Assert.Equal(second.Value.PreviousCertificateId, first.CertificateId);
    }

    [Fact]
    public async Task Deploy_WrongSecret_FailsAtLogin_AndChangesNothing()
    {
        await AddBoxAsync("another-secret-of-enough-length");
        var before = _box.ServedFingerprint;

        var deployed = await Deploys.DeployAsync("hooked", null, "admin");

        Assert.Equal(DeploymentOutcome.Failed, deployed.Value.Outcome);
        Assert.Equal("login", deployed.Value.Failure);
        Assert.Contains("refused the signature (401)", deployed.Value.Message, StringComparison.Ordinal);
        Assert.Equal(before, _box.ServedFingerprint);
        Assert.Single(_box.BadSignatures);
        Assert.DoesNotContain(deployed.Value.Steps.Append(deployed.Value.Message), s => s.Contains("another-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_ReceiverDown_SaysNothingAnswers()
    {
        await AddBoxAsync();
        await _box.DisposeAsync();

        var deployed = await Deploys.DeployAsync("hooked", null, "admin");

        Assert.Equal(DeploymentOutcome.Failed, deployed.Value.Outcome);
        Assert.Equal("connect", deployed.Value.Failure);
        Assert.Contains("Nothing answers at 127.0.0.1:", deployed.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_DisabledOrWatchOnly_IsRefusedBeforeAnythingIsIssued()
    {
        await AddBoxAsync();
        await Boxes.SetEnabledAsync("hooked", false, "admin");
        await Boxes.AddAsync(new BoxDraft { Name = "router", Addresses = ["router.lan"] }, "admin");
        await using var db = _panel.Storage.CreateContext();
        var certificates = await db.Certificates.CountAsync();

        var disabled = await Deploys.DeployAsync("hooked", null, "admin");
        var watchOnly = await Deploys.DeployAsync("router", null, "admin");

        Assert.Contains("is disabled", disabled.Error, StringComparison.Ordinal);
        Assert.Contains("is watched only", watchOnly.Error, StringComparison.Ordinal);
        Assert.Equal(certificates, await db.Certificates.CountAsync());
        Assert.Empty(_box.Received);
    }

    [Fact]
    public async Task MarkUnfinished_AfterAStopMidDeploy_MarksTheRowAndNamesTheBox()
    {
        await AddBoxAsync();
        await using (var db = _panel.Storage.CreateContext())
        {
            db.Deployments.Add(new DeploymentRecord { BoxId = (await db.Boxes.SingleAsync()).Id, StartedAt = DateTimeOffset.UtcNow, Actor = "admin", Outcome = DeploymentOutcome.Running });
            await db.SaveChangesAsync();
        }

        var boxes = await Deploys.MarkUnfinishedAsync();

        Assert.Equal(["hooked"], boxes);
        var history = (await Deploys.HistoryAsync("hooked")).Value;
        Assert.Equal(DeploymentOutcome.Unfinished, Assert.Single(history).Outcome);
        Assert.Empty(await Deploys.MarkUnfinishedAsync());
    }

    [Fact]
    public async Task Test_SignsAPing_AndChangesNothing()
    {
        await AddBoxAsync();

        var tested = await Boxes.TestAsync("hooked", "admin");

        Assert.True(tested.Value.Succeeded, tested.Value.Message);
        Assert.Equal("test", Assert.Single(_box.Received).GetProperty("event").GetString());
        Assert.False(Assert.Single(_box.Received).TryGetProperty("privateKey", out _));
    }

    [Theory]
    [InlineData("http://nas.lan/hook", "to this machine only")]
    [InlineData("https://user:pw@nas.lan/hook", "no account or password")]
    [InlineData("ftp://nas.lan/", "not an http(s) URL")]
    [InlineData("not a url", "not an http(s) URL")]
    [InlineData("https://nas.lan/hook#x", "fragment")]
    public async Task Add_UnsafeUrl_IsRefused(string url, string reason)
    {
        var added = await Boxes.AddAsync(new BoxDraft
        {
            Name = "hooked",
            Addresses = ["nas.lan"],
            Delivery = "webhook",
            Settings = new Dictionary<string, string> { ["url"] = url },
            Secrets = new Dictionary<string, string> { ["secret"] = Secret },
        }, "admin");

        Assert.False(added.IsSuccess);
        Assert.Contains(reason, added.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_IsHmacSha256OfTheBody_InGitHubsForm() =>
        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
            WebhookDelivery.Sign("key", "The quick brown fox jumps over the lazy dog"u8));

    [Fact]
    public async Task Check_AfterDeploy_IsOkEverywhere_ThenTheBoxGoingDownIsOneChange()
    {
        await AddBoxAsync();
        var watch = new BoxWatch(_panel.Storage, new EndpointProbe(_panel.Time), _panel.Time);
        var before = (await watch.CheckAsync("hooked")).Value;
        Assert.All(before, c => Assert.NotEqual(EndpointState.Ok, c.Verdict.State));
        var deployed = (await Deploys.DeployAsync("hooked", null, "admin")).Value;

        var healthy = (await watch.CheckAsync("hooked")).Value;
        var again = (await watch.CheckAsync("hooked")).Value;

        Assert.Equal(2, healthy.Count);
        Assert.All(healthy, c => Assert.True(c.Verdict.State == EndpointState.Ok, c.Verdict.Message));
        Assert.All(healthy, c => Assert.NotNull(c.Change));
        Assert.All(again, c => Assert.Null(c.Change));
        var box = (await Boxes.FindAsync("hooked")).Value;
        Assert.All(box.Endpoints, e => Assert.Equal("ok", e.State));
        await using (var db = _panel.Storage.CreateContext())
        {
            Assert.All(box.Endpoints, e => Assert.Equal(db.Certificates.Single(c => c.Id == deployed.CertificateId).Sha256Fingerprint, e.ServedFingerprint));
        }

        await _box.DisposeAsync();
        var down = (await watch.CheckAsync("hooked")).Value;

        Assert.All(down, c => Assert.Equal(EndpointState.Unreachable, c.Verdict.State));
        Assert.All(down, c => Assert.Equal(EndpointState.Ok, c.Change!.Previous!.Value.State));
        Assert.All((await Boxes.FindAsync("hooked")).Value.Endpoints, e => Assert.Equal("unreachable", e.State));
    }

    [Theory]
    [InlineData(EndpointState.Ok, null, "ok")]
    [InlineData(EndpointState.Expiring, 14, "expiring-14")]
    [InlineData(EndpointState.NameNotCovered, null, "name-not-covered")]
    [InlineData(EndpointState.NotLatest, null, "not-latest")]
    public void Condition_StoredForm_RoundTrips(EndpointState state, int? days, string stored)
    {
        Assert.Equal(stored, BoxWatch.FormatCondition(new EndpointCondition(state, days)));
        Assert.Equal(new EndpointCondition(state, days), BoxWatch.ParseCondition(stored));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bogus")]
    [InlineData("expiring-x")]
    public void Condition_UnknownStoredForm_IsNoPreviousState(string stored) => Assert.Null(BoxWatch.ParseCondition(stored));

    [Fact]
    public async Task Renewal_IsDueAtTwoThirds_AndARenewalDeployReplacesTheCertificate()
    {
        await AddBoxAsync();
        var first = (await Deploys.DeployAsync("hooked", null, "admin")).Value;
        await using var db = _panel.Storage.CreateContext();
        var issued = await db.Certificates.AsNoTracking().SingleAsync(c => c.Id == first.CertificateId);
        var lifetime = issued.NotAfter - issued.NotBefore;

        Assert.Empty(await BoxRenewal.FindDueAsync(_panel.Storage, issued.NotBefore + (lifetime / 2)));
        var due = Assert.Single(await BoxRenewal.FindDueAsync(_panel.Storage, issued.NotBefore + (lifetime * 3 / 4)));
        Assert.Equal(("hooked", first.CertificateId), (due.BoxName, (int?)due.CertificateId));

        var renewed = (await Deploys.DeployAsync(due.BoxId.ToString(CultureInfo.InvariantCulture), null, "panel:renewal")).Value;

        Assert.Equal(DeploymentOutcome.Succeeded, renewed.Outcome);
        Assert.NotEqual(first.CertificateId, renewed.CertificateId);
        Assert.Equal(first.CertificateId, renewed.PreviousCertificateId);
        Assert.Empty(await BoxRenewal.FindDueAsync(_panel.Storage, issued.NotBefore + (lifetime / 2)));
        await Boxes.SetEnabledAsync("hooked", false, "admin");
        Assert.Empty(await BoxRenewal.FindDueAsync(_panel.Storage, DateTimeOffset.UtcNow.AddYears(5)));
    }
}
