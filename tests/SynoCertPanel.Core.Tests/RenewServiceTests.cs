using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

public class RenewServiceTests
{
    [Fact]
    public async Task Renew_IssuerHeldHere_IssuesNewKeySameNamesAndCanBecomeDefault()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa", "192.168.1.10"), "admin")).Value;

        var renewal = await new RenewService(panel.Storage, panel.Time).RenewAsync(created.CertificateId, KeyAlgorithm.EcdsaP384, setAsDefault: true, "admin");

        Assert.True(renewal.IsSuccess, renewal.Error);
        Assert.Null(renewal.Value.Request);
        var before = (await panel.Inventory.GetAsync(created.CertificateId)).Value;
        var after = (await panel.Inventory.GetAsync(renewal.Value.CertificateId!.Value)).Value;
        Assert.Equal(before.Certificate.SubjectText, after.Certificate.SubjectText);
        Assert.Equal(before.Certificate.SubjectAlternativeNames, after.Certificate.SubjectAlternativeNames);
        Assert.Equal("ECDSA P-384", after.Certificate.PublicKey.ToString());
        Assert.False(before.Certificate.SubjectPublicKeyInfo.Span.SequenceEqual(after.Certificate.SubjectPublicKeyInfo.Span));
        Assert.True(after.Summary.IsDefault);
        Assert.False(before.Summary.IsDefault);

        var dir = Directory.CreateDirectory(Path.Combine(panel.Path, "out")).FullName;
        File.WriteAllText(Path.Combine(dir, "root.pem"), after.Chain[^1].ToPem());
        File.WriteAllText(Path.Combine(dir, "leaf.pem"), after.Certificate.ToPem());
        var verify = PanelFixture.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_ip", "192.168.1.10",
            "-CAfile", Path.Combine(dir, "root.pem"), Path.Combine(dir, "leaf.pem"));
        Assert.True(verify.ExitCode == 0, verify.Output);
    }

    [Fact]
    public async Task Renew_IssuerNotHeldHere_CreatesPendingRequestWithSameNames()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa", "192.168.1.10") with { SetAsDefault = false }, "admin")).Value;
        Assert.True((await panel.Inventory.DeleteAsync(created.AuthorityCertificateId, force: true, "admin")).IsSuccess);

        var renewal = await new RenewService(panel.Storage, panel.Time).RenewAsync(created.CertificateId, null, setAsDefault: false, "admin");

        Assert.True(renewal.IsSuccess, renewal.Error);
        Assert.Null(renewal.Value.CertificateId);
        var request = renewal.Value.Request!.Request;
        Assert.Equal(["DNS:nas1.home.arpa", "IP:192.168.1.10"], request.SubjectAlternativeNames.Select(n => n.ToString()));
        await using var db = panel.Storage.CreateContext();
        Assert.Equal(created.CertificateId, (await db.PendingRequests.SingleAsync()).RenewsCertificateId);
    }

    [Fact]
    public async Task Renew_CertificateSignedForAnotherBox_RefusedKeyIsElsewhere()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa"), "admin")).Value;
        var key = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);
        var csr = CertificateIssuer.CreateSigningRequest(DistinguishedName.Create("nas2.home.arpa").Value, [], key).Value;
        var signed = (await new SigningService(panel.Storage, panel.Time).SignAsync(created.AuthorityId, csr, new SignRequestOptions(), "", "admin")).Value;

        var renewal = await new RenewService(panel.Storage, panel.Time).RenewAsync(signed.CertificateId, null, false, "admin");

        Assert.False(renewal.IsSuccess);
        Assert.Contains("renew there", renewal.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renew_UnknownCertificate_ClearMessage()
    {
        await using var panel = await PanelFixture.CreateAsync();

        var renewal = await new RenewService(panel.Storage, panel.Time).RenewAsync(404, null, false, "admin");

        Assert.False(renewal.IsSuccess);
        Assert.Equal("There is no certificate with id 404.", renewal.Error);
    }
}
