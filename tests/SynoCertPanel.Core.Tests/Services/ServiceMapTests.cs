using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Services;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests.Boxes.Webhook;
using SynoCertPanel.Core.Watch;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests.Services;

/// <summary>
/// Which certificate each service uses, on a real SQLite inventory: the listener's default, a box's last successful deploy to
/// a real webhook receiver (which serves what it is sent on its own TLS port), and what the probe saw there.
/// </summary>
public sealed class ServiceMapTests : IAsyncLifetime
{
    private const string Secret = "a-signing-secret-of-32-characters";
    private WebhookBox _receiver = null!;
    private PanelFixture _panel = null!;
    private SelfSignedResult _seed = null!;

    private BoxDeliveries Deliveries => BoxDeliveries.Standard(_panel.Time);

    private BoxService Boxes => new(_panel.Storage, Deliveries, _panel.Time);

    private ServiceMap Map => new(_panel.Storage, Boxes, _panel.Time);

    private DeployService Deploys => new(_panel.Storage, Deliveries, new EndpointProbe(_panel.Time), _panel.Time)
    {
        VerifyWindow = TimeSpan.FromSeconds(2),
        VerifyRetryDelay = TimeSpan.FromMilliseconds(200),
    };

    public async Task InitializeAsync()
    {
        _receiver = WebhookBox.Start(Secret);
        _panel = await PanelFixture.CreateAsync();
        _seed = (await _panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("panel.lan", "panel.lan") with { SetAsDefault = true }, "admin")).Value;
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _panel.DisposeAsync();
    }

    private async Task AddReceiverAsync() => Assert.True((await Boxes.AddAsync(new BoxDraft
    {
        Name = "hooked",
        Addresses = ["localhost", "127.0.0.1"],
        Watch = [string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_receiver.TlsPort}")],
        Delivery = "webhook",
        Settings = new Dictionary<string, string> { ["url"] = _receiver.Url },
        Secrets = new Dictionary<string, string> { ["secret"] = Secret },
    }, "admin")).IsSuccess);

    private async Task<int> IssueAsync(string description, params string[] names)
    {
        var issued = await new AuthorityService(_panel.Storage, _panel.Time).IssueAsync(_seed.AuthorityId, new LeafOptions
        {
            Subject = DistinguishedName.Create(names[0]).Value,
            SubjectAlternativeNames = SanParser.ParseAll(names).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, description, setAsDefault: false, "admin");
        Assert.True(issued.IsSuccess, issued.Error);
        return issued.Value;
    }

    private async Task<CertificateService> BoxServiceAsync() => (await Map.FindAsync(ServiceKey.ForBox("hooked"))).Value;

    [Fact]
    public async Task List_ListenerUsesTheDefault_AWatchOnlyBoxUsesNothingAndSaysWhyItCannotBeChanged()
    {
        Assert.True((await Boxes.AddAsync(new BoxDraft { Name = "printer", Addresses = ["printer.lan"] }, "admin")).IsSuccess);

        var services = await Map.ListAsync();

        Assert.Equal(["listener", "box:printer"], services.Select(s => s.Key));
        var listener = services[0];
        Assert.Equal((ServiceKind.Listener, ServiceMap.ListenerName, _seed.CertificateId), (listener.Kind, listener.Name, listener.Uses?.Id));
        Assert.Equal("panel.lan", listener.Uses!.Description);
        Assert.Null(listener.SetRefusal);
        var printer = services[1];
        Assert.Null(printer.Uses);
        Assert.Equal("printer.lan:443", Assert.Single(printer.Endpoints).Endpoint.Display);
        Assert.False(printer.Endpoints[0].SawCertificate);
        Assert.StartsWith("printer is watched only: the panel cannot put a certificate on it. Install the certificate on the box by hand", printer.SetRefusal,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Box_UsesItsLastSuccessfulDeploy_NotALaterRolledBackOne_AndTheProbeSeesItServed()
    {
        await AddReceiverAsync();
        var first = await IssueAsync("hooked first", "localhost", "127.0.0.1");
        var second = await IssueAsync("hooked second", "localhost", "127.0.0.1");
        Assert.Equal(DeploymentOutcome.Succeeded, (await Deploys.DeployAsync("hooked", first, "admin")).Value.Outcome);
        _receiver.InstallOnDeploy = false;
        Assert.Equal(DeploymentOutcome.RolledBack, (await Deploys.DeployAsync("hooked", second, "admin")).Value.Outcome);
        Assert.True((await new BoxWatch(_panel.Storage, new EndpointProbe(_panel.Time), _panel.Time).CheckAsync("hooked")).IsSuccess);

        var box = await BoxServiceAsync();

        Assert.Equal((first, "hooked first"), (box.Uses?.Id, box.Uses?.Description));
        var endpoint = Assert.Single(box.Endpoints);
        Assert.Equal(first, endpoint.Served?.Id);
        Assert.True(endpoint.Serves(box.Uses!));
        Assert.Empty(box.ServingAnother);
        Assert.Null(box.SetRefusal);
    }

    [Fact]
    public async Task Box_ProbeSawACertificateNotHeldHere_NamesNoneAndFlagsItAsAnother()
    {
        await AddReceiverAsync();
        var watch = new BoxWatch(_panel.Storage, new EndpointProbe(_panel.Time), _panel.Time);
        Assert.True((await watch.CheckAsync("hooked")).IsSuccess);

        var before = await BoxServiceAsync();

        Assert.Null(before.Uses);
        Assert.True(before.Endpoints[0].SawCertificate);
        Assert.Null(before.Endpoints[0].Served);
        Assert.Equal(_receiver.ServedFingerprint, before.Endpoints[0].Endpoint.ServedFingerprint);

        var deployed = await IssueAsync("hooked", "localhost", "127.0.0.1");
        Assert.Equal(DeploymentOutcome.Succeeded, (await Deploys.DeployAsync("hooked", deployed, "admin")).Value.Outcome);
        // Someone installs another certificate on the box by hand: the next probe sees it, and the row says so.
        var byHand = await IssueAsync("installed by hand", "localhost");
        await WriteServedAsync(byHand);

        var after = await BoxServiceAsync();

        Assert.Equal(deployed, after.Uses?.Id);
        var another = Assert.Single(after.ServingAnother);
        Assert.Equal(byHand, another.Served?.Id);
    }

    [Fact]
    public async Task Candidates_ValidServerCertificatesWithKeys_CoveringTheBoxFirst()
    {
        await AddReceiverAsync();
        var other = await IssueAsync("other host", "other.lan");
        var covering = await IssueAsync("covers the box", "localhost", "127.0.0.1");
        var partly = await IssueAsync("localhost only", "localhost");
        var csr = CertificateIssuer.CreateSigningRequest(DistinguishedName.Create("localhost").Value, SanParser.ParseAll(["localhost", "127.0.0.1"]).Value,
            KeyGenerator.Generate(KeyAlgorithm.EcdsaP256)).Value;
        var keyless = (await new SigningService(_panel.Storage, _panel.Time).SignAsync(_seed.AuthorityId, csr, new SignRequestOptions(), "signed for a CSR", "admin"))
            .Value.CertificateId;

        var candidates = await Map.CandidatesAsync(await BoxServiceAsync());

        Assert.Equal(covering, candidates[0].Certificate.Id);
        Assert.True(candidates[0].CoversAddresses);
        Assert.All(candidates.Skip(1), c => Assert.False(c.CoversAddresses));
        Assert.Equal(new[] { covering, other, partly, _seed.CertificateId }.Order(), candidates.Select(c => c.Certificate.Id).Order());
        Assert.DoesNotContain(candidates, c => c.Certificate.Id == keyless || c.Certificate.Id == _seed.AuthorityCertificateId);

        var forListener = await Map.CandidatesAsync((await Map.FindAsync(ServiceKey.Listener)).Value);
        Assert.Equal(_seed.CertificateId, forListener[0].Certificate.Id);
        Assert.All(forListener, c => Assert.False(c.CoversAddresses));
    }

    [Fact]
    public async Task Candidates_FromAClockPastTheirExpiry_NoneOffered()
    {
        await AddReceiverAsync();
        await IssueAsync("covers the box", "localhost", "127.0.0.1");
        var later = new ServiceMap(_panel.Storage, Boxes, new ShiftedClock(TimeSpan.FromDays(3 * 365)));

        Assert.Empty(await later.CandidatesAsync((await later.FindAsync(ServiceKey.ForBox("hooked"))).Value));
    }

    [Fact]
    public async Task Deploy_ExpiredKeylessCaOrUnknownCertificate_RefusedWithASentence_NothingSent()
    {
        await AddReceiverAsync();
        var covering = await IssueAsync("covers the box", "localhost", "127.0.0.1");
        var csr = CertificateIssuer.CreateSigningRequest(DistinguishedName.Create("localhost").Value, [], KeyGenerator.Generate(KeyAlgorithm.EcdsaP256)).Value;
        var keyless = (await new SigningService(_panel.Storage, _panel.Time).SignAsync(_seed.AuthorityId, csr, new SignRequestOptions(), "", "admin")).Value.CertificateId;
        var later = new DeployService(_panel.Storage, Deliveries, new EndpointProbe(_panel.Time), new ShiftedClock(TimeSpan.FromDays(3 * 365)));

        var expired = await later.DeployAsync("hooked", covering, "admin");
        var noKey = await Deploys.DeployAsync("hooked", keyless, "admin");
        var authority = await Deploys.DeployAsync("hooked", _seed.AuthorityCertificateId, "admin");
        var unknown = await Deploys.DeployAsync("hooked", 9999, "admin");

        Assert.StartsWith($"Certificate {covering} expired on ", expired.Error, StringComparison.Ordinal);
        Assert.EndsWith("UTC; choose a valid one, or renew it first.", expired.Error, StringComparison.Ordinal);
        Assert.Equal($"Certificate {keyless} has no private key held here, so it cannot be put on a service; import it with its key first.", noKey.Error);
        Assert.StartsWith($"Certificate {_seed.AuthorityCertificateId} is a CA certificate", authority.Error, StringComparison.Ordinal);
        Assert.Equal("There is no certificate with id 9999; `cert list` shows the certificates and their ids.", unknown.Error);
        Assert.Empty(_receiver.Received);
        await using var db = _panel.Storage.CreateContext();
        Assert.Empty(await db.Deployments.ToListAsync());
        Assert.Equal((AuditActions.DeployBox, AuditOutcome.Refused), ((await _panel.LastAuditAsync()).Action, (await _panel.LastAuditAsync()).Outcome));
    }

    [Fact]
    public async Task Usage_AndDeletePlan_NameTheBoxThatUsesTheCertificate()
    {
        await AddReceiverAsync();
        var deployed = await IssueAsync("hooked", "localhost", "127.0.0.1");
        Assert.Equal(DeploymentOutcome.Succeeded, (await Deploys.DeployAsync("hooked", deployed, "admin")).Value.Outcome);
        Assert.True((await new BoxWatch(_panel.Storage, new EndpointProbe(_panel.Time), _panel.Time).CheckAsync("hooked")).IsSuccess);

        var usage = (await _panel.Inventory.FindUsageAsync(deployed)).Value;
        var plan = (await _panel.Inventory.PlanDeleteAsync(deployed)).Value;
        var unused = (await _panel.Inventory.FindUsageAsync(await IssueAsync("spare", "spare.lan"))).Value;

        var box = Assert.Single(usage.Boxes);
        Assert.Equal(("hooked", true), (box.Name, box.Deployed));
        Assert.Equal([string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_receiver.TlsPort}")], box.ServedOn);
        Assert.False(usage.Unused);
        Assert.Equal("hooked", Assert.Single(plan.Boxes).Name);
        Assert.Null(plan.Refusal);
        Assert.Empty(unused.Boxes);
        Assert.True(unused.Unused);
    }

    [Theory]
    [InlineData("listener", ServiceKind.Listener, null)]
    [InlineData(" LISTENER ", ServiceKind.Listener, null)]
    [InlineData("box:nas2", ServiceKind.Box, "nas2")]
    [InlineData("Box: 7", ServiceKind.Box, "7")]
    public void ServiceKey_KnownForms_Parse(string text, ServiceKind kind, string? box)
    {
        var parsed = ServiceKey.Parse(text);

        Assert.True(parsed.IsSuccess, parsed.Error);
        Assert.Equal((kind, box), (parsed.Value.Kind, parsed.Value.Box));
    }

    [Theory]
    [InlineData("")]
    [InlineData("listen")]
    [InlineData("box:")]
    [InlineData("nas2")]
    [InlineData("acme:home")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("box:\u0000\u001b[31m")]
    public void ServiceKey_Garbage_RefusedWithTheFormsToUse(string text)
    {
        var parsed = ServiceKey.Parse(text);

        Assert.False(parsed.IsSuccess);
        Assert.StartsWith("There is no service \"", parsed.Error, StringComparison.Ordinal);
        Assert.EndsWith("name one as `listener` or `box:NAME` (`service list` shows them).", parsed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', parsed.Error!);
    }

    [Fact]
    public void ServiceKey_TooLong_RefusedWithoutEchoingItWhole()
    {
        var parsed = ServiceKey.Parse("box:" + new string('x', 5000));

        Assert.False(parsed.IsSuccess);
        Assert.True(parsed.Error!.Length < 300, parsed.Error);
    }

    private async Task WriteServedAsync(int certificateId)
    {
        await using var db = _panel.Storage.CreateContext();
        var fingerprint = (await db.Certificates.SingleAsync(c => c.Id == certificateId)).Sha256Fingerprint;
        var endpoint = await db.BoxEndpoints.SingleAsync();
        endpoint.ServedFingerprint = fingerprint;
        endpoint.CheckedAt = _panel.Time.GetUtcNow();
        await db.SaveChangesAsync();
    }
}
