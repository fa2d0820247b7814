using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Watch;
using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Core.Tests.Boxes.Panel;

/// <summary>The deploy of a box that makes its own key: what is refused, what is signed, and what is undone.</summary>
public sealed class RequestingDeployTests : IAsyncLifetime
{
    private readonly ScriptedPanel _box = new();
    private PanelFixture _panel = null!;
    private int _authorityId;

    private BoxDeliveries Deliveries => new([new WatchOnlyDelivery(), _box]);

    private DeployService Deploys => new(_panel.Storage, Deliveries, new EndpointProbe(_panel.Time), _panel.Time)
    {
        VerifyWindow = TimeSpan.FromSeconds(1),
        VerifyRetryDelay = TimeSpan.FromMilliseconds(200),
    };

    public async Task InitializeAsync()
    {
        _panel = await PanelFixture.CreateAsync();
        _authorityId = (await _panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("panel", "panel.lan"), "admin")).Value.AuthorityId;
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private async Task AddBoxAsync(int? authorityId)
    {
        var added = await new BoxService(_panel.Storage, Deliveries, _panel.Time).AddAsync(new BoxDraft
        {
            Name = "nas2",
            Addresses = ["nas2.home.arpa", "192.168.1.20"],
            // Nothing listens there: verification fails, which is what the restore needs.
            Watch = [string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{ClosedPort()}")],
            Delivery = "panel",
            AuthorityId = authorityId,
        }, "admin");
        Assert.True(added.IsSuccess, added.Error);
    }

    [Fact]
    public async Task Deploy_WithoutCa_IsRefused_AndTheBoxIsNotAsked()
    {
        await AddBoxAsync(null);

        var deployed = await Deploys.DeployAsync("nas2", null, "admin");

        Assert.False(deployed.IsSuccess);
        Assert.Equal("The box nas2 makes its own key (Another SynoCertPanel), so the panel signs its request with a CA held here; choose the box's CA first.", deployed.Error);
        Assert.Empty(_box.Calls);
    }

    [Fact]
    public async Task Deploy_RequestForOtherNames_IsNotSigned_AndTheRequestIsWithdrawn()
    {
        await AddBoxAsync(_authorityId);
        _box.CsrNames = ["nas2.home.arpa", "bank.example"];

        var deployed = await Deploys.DeployAsync("nas2", null, "admin");

        Assert.Equal(DeploymentOutcome.Failed, deployed.Value.Outcome);
        Assert.Equal("sign", deployed.Value.Failure);
        Assert.Contains("made a request for nas2.home.arpa, bank.example, not for its names nas2.home.arpa, 192.168.1.20", deployed.Value.Message, StringComparison.Ordinal);
        Assert.Equal(["request nas2.home.arpa,192.168.1.20", "withdraw 7"], _box.Calls);
        await using var db = _panel.Storage.CreateContext();
        Assert.False(await db.Certificates.AnyAsync(c => c.Source == CertificateSource.SignedRequest));
    }

    [Fact]
    public async Task Deploy_SignsTheBoxNamesWithItsCa_AndRestoresWhenVerificationFails()
    {
        await AddBoxAsync(_authorityId);

        var deployed = await Deploys.DeployAsync("nas2", null, "admin");

        Assert.Equal(DeploymentOutcome.RolledBack, deployed.Value.Outcome);
        Assert.Equal(["request nas2.home.arpa,192.168.1.20", "install 7", "restore 3"], _box.Calls);
        var signed = _box.Installed!;
        Assert.Equal(signed.CertificateId, deployed.Value.CertificateId);
        using var x509 = X509Certificate2.CreateFromPem(signed.CertificatePem);
        var leaf = Certificate.FromDer(x509.RawData).Value;
        Assert.Equal(["DNS:nas2.home.arpa", "IP:192.168.1.20"], leaf.SubjectAlternativeNames.Select(n => n.ToString()));
        Assert.Equal(signed.Sha256Fingerprint, leaf.Sha256Fingerprint);
        await using var db = _panel.Storage.CreateContext();
        var record = await db.Certificates.SingleAsync(c => c.Id == signed.CertificateId);
        Assert.Equal(CertificateSource.SignedRequest, record.Source);
        Assert.Null(record.PrivateKeyId);
        Assert.Equal(_authorityId, record.IssuedByAuthorityId);
        Assert.Null((await db.Boxes.SingleAsync()).CertificateId);
    }

    [Fact]
    public async Task Deploy_InstallRefused_FailsAtThatStep_WithoutRestore()
    {
        await AddBoxAsync(_authorityId);
        _box.InstallFails = DeliveryFailure.Permission;

        var deployed = await Deploys.DeployAsync("nas2", null, "admin");

        Assert.Equal(DeploymentOutcome.Failed, deployed.Value.Outcome);
        Assert.Equal("permission", deployed.Value.Failure);
        Assert.Equal("refused by the box", deployed.Value.Message);
        Assert.Equal(["request nas2.home.arpa,192.168.1.20", "install 7"], _box.Calls);
        Assert.NotNull(deployed.Value.CertificateId);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
