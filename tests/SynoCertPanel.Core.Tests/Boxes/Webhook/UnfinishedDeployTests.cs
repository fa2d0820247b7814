using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Alerts;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests.Alerts;
using SynoCertPanel.Core.Watch;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests.Boxes.Webhook;

/// <summary>
/// A deploy the panel never finished (stopped between writing its row and recording the outcome), settled at the next
/// start by probing the box again: the row says what each endpoint serves, the box's certificate follows what is served,
/// and the alert channels hear of it — against a real receiver that installs what it gets on its own TLS port.
/// </summary>
public sealed class UnfinishedDeployTests : IAsyncLifetime
{
    private const string Secret = "a-signing-secret-of-32-characters";
    private WebhookBox _box = null!;
    private PanelFixture _panel = null!;
    private AlertReceiver _phone = null!;
    private int _authorityId;

    private BoxDeliveries Deliveries => BoxDeliveries.Standard(_panel.Time);

    private BoxService Boxes => new(_panel.Storage, Deliveries, _panel.Time);

    private AlertService Alerts => new(_panel.Storage, AlertChannels.Standard(_panel.Time, TimeSpan.FromSeconds(10)), _panel.Time);

    private DeployService Deploys => new(_panel.Storage, Deliveries, new EndpointProbe(_panel.Time), _panel.Time, Alerts)
    {
        VerifyWindow = TimeSpan.FromSeconds(2),
        VerifyRetryDelay = TimeSpan.FromMilliseconds(200),
    };

    private BoxWatch Watch => new(_panel.Storage, new EndpointProbe(_panel.Time), _panel.Time);

    public async Task InitializeAsync()
    {
        _box = WebhookBox.Start(Secret);
        _phone = AlertReceiver.Start();
        _panel = await PanelFixture.CreateAsync();
        _authorityId = (await _panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("panel", "panel.lan"), "admin")).Value.AuthorityId;
        Assert.True((await Boxes.AddAsync(new BoxDraft
        {
            Name = "hooked",
            Addresses = ["localhost", "127.0.0.1"],
            Watch = [string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_box.TlsPort}"), string.Create(CultureInfo.InvariantCulture, $"localhost:{_box.TlsPort}")],
            Delivery = "webhook",
            Settings = new Dictionary<string, string> { ["url"] = _box.Url },
            Secrets = new Dictionary<string, string> { ["secret"] = Secret },
            AuthorityId = _authorityId,
        }, "admin")).IsSuccess);
        Assert.True((await Alerts.AddAsync(new AlertChannelDraft
        {
            Name = "phone",
            Channel = "ntfy",
            Settings = new Dictionary<string, string> { ["server-url"] = _phone.Url, ["topic"] = "lab" },
        }, "admin")).IsSuccess);
    }

    public async Task DisposeAsync()
    {
        await _phone.DisposeAsync();
        await _box.DisposeAsync();
        await _panel.DisposeAsync();
    }

    /// <summary>A finished deploy: the box serves its certificate, which is the box's.</summary>
    private async Task<int> DeployAsync()
    {
        var deployed = await Deploys.DeployAsync("hooked", null, "admin");
        Assert.Equal(DeploymentOutcome.Succeeded, deployed.Value.Outcome);
        return deployed.Value.CertificateId!.Value;
    }

    /// <summary>What a deploy has done when the panel stops: the new certificate issued and its row written, Running.</summary>
    private async Task<int> InterruptedDeployAsync(int previous)
    {
        var issued = await new AuthorityService(_panel.Storage, _panel.Time).IssueAsync(_authorityId, new LeafOptions
        {
            Subject = DistinguishedName.Create("localhost").Value,
            SubjectAlternativeNames = SanParser.ParseAll(["localhost", "127.0.0.1"]).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, "hooked (box)", setAsDefault: false, "admin");
        Assert.True(issued.IsSuccess, issued.Error);
        await using var db = _panel.Storage.CreateContext();
        db.Deployments.Add(new DeploymentRecord
        {
            BoxId = (await db.Boxes.SingleAsync()).Id,
            CertificateId = issued.Value,
            PreviousCertificateId = previous,
            StartedAt = _panel.Time.GetUtcNow(),
            Actor = "admin",
            Outcome = DeploymentOutcome.Running,
            Message = "Running.",
        });
        await db.SaveChangesAsync();
        return issued.Value;
    }

    private async Task<int?> BoxCertificateAsync()
    {
        await using var db = _panel.Storage.CreateContext();
        return (await db.Boxes.SingleAsync()).CertificateId;
    }

    [Fact]
    public async Task Settle_BoxServesTheInterruptedDeploysCertificate_MakesItTheBoxesAndSaysSo()
    {
        var before = await DeployAsync();
        var interrupted = await InterruptedDeployAsync(before);
        // The delivery went through before the stop; only the verification and the record were lost.
        var (_, method, target) = (await Boxes.OpenTargetAsync("hooked")).Value;
        var bundle = (await DeliveryBundles.LoadAsync(_panel.Storage, interrupted, CancellationToken.None)).Value;
        Assert.True((await method.DeliverAsync(target, bundle, CancellationToken.None)).Succeeded);

        Assert.Equal(["hooked"], await Deploys.MarkUnfinishedAsync());
        var settled = Assert.Single(await Deploys.SettleUnfinishedAsync("hooked"));
        var checks = (await Watch.CheckAsync("hooked")).Value;

        Assert.Equal(DeploymentOutcome.Unfinished, settled.Outcome);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture,
            $"The panel stopped in the middle of this deploy. Probed again after the restart: 127.0.0.1:{_box.TlsPort} serves certificate {interrupted}, this deploy's; localhost:{_box.TlsPort} serves certificate {interrupted}, this deploy's. Certificate {interrupted} is now the box's certificate."),
            settled.Message);
        Assert.Equal(interrupted, await BoxCertificateAsync());
        Assert.All(checks, c => Assert.True(c.Verdict.State == EndpointState.Ok, c.Verdict.Message));
        var alert = Assert.Single(_phone.Received);
        Assert.Equal("hooked: deploy left unfinished", alert.Header("Title"));
        Assert.Contains(settled.Message, alert.Text, StringComparison.Ordinal);
        Assert.Equal(AlertSendOutcome.Sent, Assert.Single(await Alerts.HistoryAsync()).Outcome);
        Assert.Empty(await Deploys.SettleUnfinishedAsync("hooked"));
    }

    [Fact]
    public async Task Settle_BoxStillServesThePreviousCertificate_KeepsItAndSaysDeployAgain()
    {
        var before = await DeployAsync();
        var interrupted = await InterruptedDeployAsync(before);

        await Deploys.MarkUnfinishedAsync();
        var settled = Assert.Single(await Deploys.SettleUnfinishedAsync("hooked"));
        var checks = (await Watch.CheckAsync("hooked")).Value;

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_box.TlsPort} still serves certificate {before}, the one before this deploy"),
            settled.Message, StringComparison.Ordinal);
        Assert.EndsWith(". Deploy again to finish it.", settled.Message, StringComparison.Ordinal);
        Assert.Equal(interrupted, settled.CertificateId);
        Assert.Equal(before, await BoxCertificateAsync());
        Assert.All(checks, c => Assert.True(c.Verdict.State == EndpointState.Ok, c.Verdict.Message));
        Assert.Single(_phone.Received);
    }

    [Fact]
    public async Task Check_BoxLoadsTheInterruptedDeploysCertificateLater_MakesItTheBoxesAndOk()
    {
        var before = await DeployAsync();
        var interrupted = await InterruptedDeployAsync(before);
        await Deploys.MarkUnfinishedAsync();
        await Deploys.SettleUnfinishedAsync("hooked");
        Assert.Equal(before, await BoxCertificateAsync());
        // What a reload that outlived the panel does: the box serves the delivered certificate some time after the restart.
        var (_, method, target) = (await Boxes.OpenTargetAsync("hooked")).Value;
        var bundle = (await DeliveryBundles.LoadAsync(_panel.Storage, interrupted, CancellationToken.None)).Value;
        Assert.True((await method.DeliverAsync(target, bundle, CancellationToken.None)).Succeeded);

        var checks = (await Watch.CheckAsync("hooked")).Value;

        Assert.All(checks, c => Assert.True(c.Verdict.State == EndpointState.Ok, c.Verdict.Message));
        Assert.Equal(interrupted, await BoxCertificateAsync());
        var history = Assert.Single((await Deploys.HistoryAsync("hooked")).Value, d => d.Outcome == DeploymentOutcome.Unfinished);
        Assert.EndsWith(string.Create(CultureInfo.InvariantCulture, $"found every watched endpoint serving certificate {interrupted}, so it is now the box's certificate."),
            history.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_OneEndpointLoadsTheInterruptedDeploysCertificate_IsOkThereButTheBoxKeepsItsCertificate()
    {
        var before = await DeployAsync();
        var interrupted = await InterruptedDeployAsync(before);
        await Deploys.MarkUnfinishedAsync();
        await Deploys.SettleUnfinishedAsync("hooked");
        await using (var db = _panel.Storage.CreateContext())
        {
            // A second endpoint that nothing listens on: it cannot serve the new certificate.
            db.BoxEndpoints.Add(new BoxEndpointRecord { BoxId = (await db.Boxes.SingleAsync()).Id, Host = "127.0.0.1", Port = AlertReceiver.FreePort() });
            await db.SaveChangesAsync();
        }

        var (_, method, target) = (await Boxes.OpenTargetAsync("hooked")).Value;
        var bundle = (await DeliveryBundles.LoadAsync(_panel.Storage, interrupted, CancellationToken.None)).Value;
        Assert.True((await method.DeliverAsync(target, bundle, CancellationToken.None)).Succeeded);

        var checks = (await Watch.CheckAsync("hooked")).Value;

        Assert.Equal(2, checks.Count(c => c.Verdict.State == EndpointState.Ok));
        Assert.Single(checks, c => c.Verdict.State == EndpointState.Unreachable);
        Assert.Equal(before, await BoxCertificateAsync());
    }

    [Fact]
    public async Task Settle_BoxDown_SaysItCouldNotBeReachedAndKeepsThePreviousCertificate()
    {
        var before = await DeployAsync();
        await InterruptedDeployAsync(before);
        var port = _box.TlsPort;
        await _box.DisposeAsync();

        await Deploys.MarkUnfinishedAsync();
        var settled = Assert.Single(await Deploys.SettleUnfinishedAsync("hooked"));

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port} could not be reached; localhost:{port} could not be reached. Deploy again"),
            settled.Message, StringComparison.Ordinal);
        Assert.Equal(before, await BoxCertificateAsync());
    }

    [Fact]
    public async Task Settle_NothingUnfinished_ProbesNothingAndSendsNothing()
    {
        await DeployAsync();

        Assert.Empty(await Deploys.MarkUnfinishedAsync());
        Assert.Empty(await Deploys.SettleUnfinishedAsync("hooked"));
        Assert.Empty(await Deploys.SettleUnfinishedAsync("no such box"));
        Assert.Empty(_phone.Received);
    }
}
