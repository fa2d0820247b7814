using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Tests.Browser;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>
/// The seed scenario with no file carried: the first panel holds the root; the second is a box of kind panel on it; one
/// deploy makes the second panel serve a certificate from the first panel's root for its names, while its key never
/// leaves the second panel. Checked by openssl, curl and a Chromium that trusts the root.
/// </summary>
public sealed class PanelDeliveryTests : IAsyncLifetime
{
    private PanelPair _pair = null!;

    public async Task InitializeAsync() => _pair = await PanelPair.StartAsync();

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task Deploy_SecondPanelServesACertificateFromTheFirstPanelsRoot_TrustedByNameAndByIp()
    {
        await _pair.AddBoxAsync(await _pair.TokenAsync(ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite));
        var before = _pair.SecondServes.CertificateId;

        var deployed = await _pair.DeployAsync();

        Assert.True(deployed.Outcome == DeploymentOutcome.Succeeded, deployed.Message + "\n" + string.Join("\n", deployed.Steps));
        Assert.Contains(deployed.Steps, s => s.StartsWith("Verified: localhost:", StringComparison.Ordinal));
        Assert.Contains(deployed.Steps, s => s.StartsWith("Verified: 127.0.0.1:", StringComparison.Ordinal));

        // Here: the certificate issued for the box, kept without a key (the key is on the second panel).
        CertificateRecord issued;
        await using (var db = _pair.FirstStorage.CreateContext())
        {
            issued = await db.Certificates.SingleAsync(c => c.Id == deployed.CertificateId);
            Assert.Equal(CertificateSource.SignedRequest, issued.Source);
            Assert.Null(issued.PrivateKeyId);
            Assert.Equal(deployed.CertificateId, (await db.Boxes.SingleAsync()).CertificateId);
        }

        // There: the same certificate, on the key of the request it made, served by its listener; no request left over.
        Assert.Equal(issued.Sha256Fingerprint, _pair.SecondServedFingerprint);
        Assert.NotEqual(before, _pair.SecondServes.CertificateId);
        Assert.Empty(await _pair.SecondPendingAsync());
        await using (var db = _pair.Second.Storage.CreateContext())
        {
            var there = await db.Certificates.SingleAsync(c => c.Sha256Fingerprint == issued.Sha256Fingerprint);
            Assert.NotNull(there.PrivateKeyId);
        }

        // The box pinned the second panel's own certificate on first contact and the delivered one after the switch.
        var box = await _pair.BoxAsync();
        Assert.EndsWith(BoxTls.Show(issued.Sha256Fingerprint), box.Settings[BoxTls.FingerprintOption], StringComparison.Ordinal);

        var folder = Directory.CreateTempSubdirectory("panel-delivery-").FullName;
        try
        {
            var root = Path.Combine(folder, "root.pem");
            var leaf = Path.Combine(folder, "leaf.pem");
            await File.WriteAllTextAsync(root, _pair.RootPem);
            await File.WriteAllTextAsync(leaf, _pair.SecondServes.Leaf.ToPem());
            foreach (var check in new[] { new[] { "-verify_hostname", "localhost" }, ["-verify_ip", "127.0.0.1"] })
            {
                var verified = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-purpose", "sslserver", .. check, "-CAfile", root, leaf]);
                Assert.True(verified.ExitCode == 0, verified.Output + verified.Error);
            }

            foreach (var host in new[] { "localhost", "127.0.0.1" })
            {
                var curl = await ExternalProcess.RunAsync("curl",
                [
                    "--silent", "--show-error", "--fail", "--cacert", root, "--resolve", $"localhost:{_pair.SecondPort}:127.0.0.1",
                    "--output", "/dev/null", "--write-out", "%{http_code}", $"https://{host}:{_pair.SecondPort}/login",
                ]);
                Assert.True(curl.ExitCode == 0, curl.Output + curl.Error);
                Assert.Equal("200", curl.Output);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var trusting = await TrustingChromium.TrustingAsync(playwright, _pair.RootPem, PanelPair.RootName, ["localhost"]);
        await using var control = await TrustingChromium.ControlAsync(playwright, ["localhost"]);
        foreach (var address in new[] { $"https://localhost:{_pair.SecondPort}/login", $"https://127.0.0.1:{_pair.SecondPort}/login" })
        {
            var (response, error) = await trusting.OpenAsync(address);
            Assert.True(error is null, error);
            Assert.True(response!.Ok, $"{response.Url} answered {response.Status}");
            Assert.Equal(PanelPair.RootName, (await response.SecurityDetailsAsync())?.Issuer);

            var (refused, refusal) = await control.OpenAsync(address);
            Assert.Null(refused);
            Assert.Contains("net::ERR_CERT_AUTHORITY_INVALID", refusal, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Deploy_Again_TrustsThePanelByTheDeliveredPin_AndReplacesItsCertificate()
    {
        await _pair.AddBoxAsync(await _pair.TokenAsync(ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite));
        var first = await _pair.DeployAsync();
        Assert.True(first.Outcome == DeploymentOutcome.Succeeded, first.Message);

        var second = await _pair.DeployAsync();

        Assert.True(second.Outcome == DeploymentOutcome.Succeeded, second.Message + "\n" + string.Join("\n", second.Steps));
        Assert.Equal(first.CertificateId, second.PreviousCertificateId);
        Assert.NotEqual(first.CertificateId, second.CertificateId);
        Assert.Contains(second.Steps, s => s.Contains("is the pinned one", StringComparison.Ordinal));
        await using var db = _pair.FirstStorage.CreateContext();
        Assert.Equal((await db.Certificates.SingleAsync(c => c.Id == second.CertificateId)).Sha256Fingerprint, _pair.SecondServedFingerprint);
    }

    [Fact]
    public async Task Deploy_WatchedEndpointServesSomethingElse_PutsBackTheSecondPanelsPreviousCertificate()
    {
        // The watched endpoint is the first panel's own listener, which never serves the certificate delivered to the second.
        await _pair.AddBoxAsync(await _pair.TokenAsync(ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite),
            watch: [PanelPair.Endpoint("127.0.0.1", _pair.First.Port)]);
        var before = _pair.SecondServes.CertificateId;
        var servedBefore = _pair.SecondServedFingerprint;

        var deployed = await _pair.DeployQuicklyAsync();

        Assert.True(deployed.Outcome == DeploymentOutcome.RolledBack, deployed.Message + "\n" + string.Join("\n", deployed.Steps));
        Assert.Equal("verify", deployed.Failure);
        Assert.Contains("still serves another certificate", deployed.Message, StringComparison.Ordinal);
        Assert.Equal(before, _pair.SecondServes.CertificateId);
        Assert.Equal(servedBefore, _pair.SecondServedFingerprint);
        Assert.Null((await _pair.BoxAsync()).CertificateId);

        // The box's pins still let the next call in: the test connection reaches the panel serving its old certificate.
        var tested = await _pair.TestConnectionAsync();
        Assert.True(tested.IsSuccess && tested.Value.Succeeded, tested.Error ?? tested.Value.Message);
    }
}
