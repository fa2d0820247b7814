using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>
/// What a deploy to another panel says when the token, the panel or its TLS certificate is wrong: each fails at its step
/// with the other panel's own sentence where it gave one, leaves the second panel serving what it served, and leaves no
/// request (nor key) behind there.
/// </summary>
public sealed class PanelDeliveryFaultTests : IAsyncLifetime
{
    private PanelPair _pair = null!;

    public async Task InitializeAsync() => _pair = await PanelPair.StartAsync();

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task Deploy_WrongToken_FailsAtLogin_WithTheSecondPanelsSentence()
    {
        var real = await _pair.Second.CreateTokenAsync("nas1 delivery", ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite);
        // The token's own id with another secret: well formed, refused by the second panel.
        var wrong = ApiTokenSecret.Format(real.Token.Id, new byte[ApiTokenSecret.SecretBytes]);
        await _pair.AddBoxAsync(wrong);
        var served = _pair.SecondServedFingerprint;

        var deployed = await _pair.DeployAsync();

        Assert.Equal(DeploymentOutcome.Failed, deployed.Outcome);
        Assert.Equal("login", deployed.Failure);
        Assert.StartsWith($"The panel at 127.0.0.1:{_pair.SecondPort} refused the API token: \"", deployed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(deployed.Steps.Append(deployed.Message), s => s.Contains(wrong, StringComparison.Ordinal));
        await AssertNothingChangedAsync(served, deployed);

        var tested = await _pair.TestConnectionAsync();
        Assert.Equal(DeliveryFailure.Login, tested.Value.Failure);
    }

    [Fact]
    public async Task Deploy_TokenWithoutCertificatesWrite_FailsAtPermission_NamingTheScope()
    {
        await _pair.AddBoxAsync(await _pair.TokenAsync(ApiScopes.CertificatesRead));
        var served = _pair.SecondServedFingerprint;

        var deployed = await _pair.DeployAsync();

        Assert.Equal(DeploymentOutcome.Failed, deployed.Outcome);
        Assert.Equal("permission", deployed.Failure);
        Assert.Contains($"This token lacks the scope {ApiScopes.CertificatesWrite}, which POST /api/v1/requests needs", deployed.Message, StringComparison.Ordinal);
        await AssertNothingChangedAsync(served, deployed);

        // Test connection finds it too, without making anything there.
        var tested = await _pair.TestConnectionAsync();
        Assert.Equal(DeliveryFailure.Permission, tested.Value.Failure);
        Assert.Contains(ApiScopes.CertificatesWrite, tested.Value.Message, StringComparison.Ordinal);
        Assert.Empty(await _pair.SecondPendingAsync());
    }

    [Fact]
    public async Task TestConnection_GoodToken_ReadsAndMayWrite_AndMakesNothing()
    {
        await _pair.AddBoxAsync(await _pair.TokenAsync(ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite));
        await using var before = _pair.Second.Storage.CreateContext();
        var certificates = await before.Certificates.CountAsync();

        var tested = await _pair.TestConnectionAsync();

        Assert.True(tested.Value.Succeeded, tested.Value.Message);
        Assert.Contains("nothing was changed", tested.Value.Message, StringComparison.Ordinal);
        Assert.Empty(await _pair.SecondPendingAsync());
        await using var after = _pair.Second.Storage.CreateContext();
        Assert.Equal(certificates, await after.Certificates.CountAsync());
        // First contact pinned the second panel's own TLS certificate.
        Assert.Equal(BoxTls.Show(_pair.SecondServedFingerprint), (await _pair.BoxAsync()).Settings[BoxTls.FingerprintOption]);
    }

    [Fact]
    public async Task Deploy_SecondPanelDown_FailsAtConnect()
    {
        var token = await _pair.TokenAsync(ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite);
        await _pair.AddBoxAsync(token, new Dictionary<string, string> { [BoxTls.UrlOption] = $"https://127.0.0.1:{ClosedPort()}" });
        var served = _pair.SecondServedFingerprint;

        var deployed = await _pair.DeployAsync();

        Assert.Equal(DeploymentOutcome.Failed, deployed.Outcome);
        Assert.Equal("connect", deployed.Failure);
        Assert.Contains("Nothing accepts connections at 127.0.0.1:", deployed.Message, StringComparison.Ordinal);
        await AssertNothingChangedAsync(served, deployed);
    }

    [Fact]
    public async Task Deploy_PinnedFingerprintChanged_FailsAtTls_AndSendsNothing()
    {
        var token = await _pair.TokenAsync(ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite);
        var otherPin = BoxTls.Show(new string('A', 64));
        await _pair.AddBoxAsync(token, new Dictionary<string, string> { [BoxTls.FingerprintOption] = otherPin });
        var served = _pair.SecondServedFingerprint;

        var deployed = await _pair.DeployAsync();

        Assert.Equal(DeploymentOutcome.Failed, deployed.Outcome);
        Assert.Equal("tls", deployed.Failure);
        Assert.Contains($"but {otherPin} was pinned. Nothing was sent.", deployed.Message, StringComparison.Ordinal);
        await AssertNothingChangedAsync(served, deployed);
        // The token was never shown to the second panel: it has no use recorded.
        Assert.All(await _pair.SecondTokensAsync(), t => Assert.Null(t.LastUsedAt));
        Assert.Equal(otherPin, (await _pair.BoxAsync()).Settings[BoxTls.FingerprintOption]);
    }

    [Fact]
    public async Task Deploy_ChosenCertificate_IsRefused_BecauseThePanelMakesItsOwnKey()
    {
        await _pair.AddBoxAsync(await _pair.TokenAsync(ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite));
        var refused = await _pair.TryDeployAsync(certificateId: 1);

        Assert.False(refused.IsSuccess);
        Assert.Contains("makes its own key", refused.Error, StringComparison.Ordinal);
        Assert.Empty(await _pair.SecondPendingAsync());
    }

    private async Task AssertNothingChangedAsync(string served, DeploymentSummary deployed)
    {
        Assert.Equal(served, _pair.SecondServedFingerprint);
        Assert.Empty(await _pair.SecondPendingAsync());
        Assert.Null(deployed.CertificateId);
        await using var db = _pair.FirstStorage.CreateContext();
        Assert.False(await db.Certificates.AnyAsync(c => c.Source == CertificateSource.SignedRequest));
        Assert.Null((await db.Boxes.SingleAsync()).CertificateId);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
