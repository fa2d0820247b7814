using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

public class SelfSignedServiceTests
{
    [Fact]
    public async Task Create_RootAndServer_StoredAuditedDefaultAndVerifiedByOpenSsl()
    {
        await using var panel = await PanelFixture.CreateAsync();

        var result = await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa", "192.168.1.10"), "admin");

        Assert.True(result.IsSuccess, result.Error);
        var details = (await panel.Inventory.GetAsync(result.Value.CertificateId)).Value;
        Assert.True(details.Summary.IsDefault);
        Assert.True(details.Summary.HasPrivateKey);
        Assert.Equal(CertificateSource.Created, details.Summary.Source);
        Assert.Equal(["DNS:nas1.home.arpa", "IP:192.168.1.10"], details.Summary.AlternativeNames);
        var root = Assert.Single(details.Chain);
        var rootDetails = (await panel.Inventory.GetAsync(result.Value.AuthorityCertificateId)).Value;
        Assert.Equal(root, rootDetails.Certificate);
        Assert.Equal(result.Value.AuthorityId, rootDetails.AuthorityId);

        var dir = Path.Combine(panel.Path, "out");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "root.pem"), root.ToPem());
        File.WriteAllText(Path.Combine(dir, "leaf.pem"), details.Certificate.ToPem());
        var verify = PanelFixture.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_ip", "192.168.1.10",
            "-CAfile", Path.Combine(dir, "root.pem"), Path.Combine(dir, "leaf.pem"));
        Assert.True(verify.ExitCode == 0, verify.Output);

        await using var db = panel.Storage.CreateContext();
        var actions = await db.AuditEvents.OrderBy(a => a.Id).Select(a => a.Action + ":" + a.Outcome + ":" + a.Actor).ToListAsync();
        Assert.Equal(["authority.create:Succeeded:admin", "certificate.create-self-signed:Succeeded:admin", "certificate.set-default:Succeeded:admin"], actions);
        Assert.Single(await db.IssuedSerials.ToListAsync());
    }

    [Fact]
    public async Task Create_TypedRootName_IsTheRootsDescriptionAndItsFileName()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var request = PanelFixture.SelfSignedRequest("files.lab.internal", "files.lab.internal");
        request = request with { Root = request.Root with { Subject = DistinguishedName.Create("Lab Root CA").Value } };

        var result = await panel.SelfSigned.CreateAsync(request, "admin");

        Assert.True(result.IsSuccess, result.Error);
        var root = (await panel.Inventory.GetAsync(result.Value.AuthorityCertificateId)).Value;
        Assert.Equal("Lab Root CA", root.Summary.Description);
        var file = (await panel.Export.ExportAsync(result.Value.AuthorityCertificateId, Inventory.ExportFormat.Pem, new Inventory.ExportOptions(), "admin")).Value;
        Assert.Equal("Lab_Root_CA.pem", file.FileName);
        var path = Path.Combine(panel.Path, file.FileName);
        File.WriteAllBytes(path, file.Content);
        var read = PanelFixture.Run("openssl", "x509", "-noout", "-subject", "-in", path);
        Assert.True(read.ExitCode == 0, read.Output);
        Assert.Contains("CN = Lab Root CA", read.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NoNames_RefusedNothingStoredButAudited()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var request = PanelFixture.SelfSignedRequest("nas1.home.arpa");
        request = request with { Server = request.Server with { Subject = DistinguishedName.Create("My NAS").Value } };

        var result = await panel.SelfSigned.CreateAsync(request, "admin");

        Assert.False(result.IsSuccess);
        Assert.Contains("at least one DNS name or IP address", result.Error, StringComparison.Ordinal);
        await using var db = panel.Storage.CreateContext();
        Assert.Equal(0, await db.Certificates.CountAsync());
        Assert.Equal(0, await db.PrivateKeys.CountAsync());
        var audit = await db.AuditEvents.SingleAsync();
        Assert.Equal(AuditOutcome.Refused, audit.Outcome);
    }

    [Theory]
    [InlineData("line\nbreak", "control character")]
    [InlineData("\0", "control character")]
    public async Task Create_HostileDescription_Refused(string description, string expected)
    {
        await using var panel = await PanelFixture.CreateAsync();

        var result = await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa") with { Description = description }, "admin");

        Assert.False(result.IsSuccess);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await panel.Inventory.ListAsync(new())).TotalCount);
    }

    [Fact]
    public async Task Create_OversizedDescription_Refused()
    {
        await using var panel = await PanelFixture.CreateAsync();

        var result = await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa") with { Description = new string('x', 5000) }, "admin");

        Assert.False(result.IsSuccess);
        Assert.Contains("at most 200", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_CommonNameNotAHostName_StoredWithLintWarning()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var request = PanelFixture.SelfSignedRequest("nas1.home.arpa", "nas1.home.arpa");
        request = request with { Server = request.Server with { Subject = DistinguishedName.Create("My NAS").Value } };

        var result = await panel.SelfSigned.CreateAsync(request, "admin");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Contains(result.Warnings, w => w.Contains("My NAS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_AuditEvents_CarryTheNewCertificatesIds()
    {
        await using var panel = await PanelFixture.CreateAsync();

        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa"), "admin")).Value;

        await using var db = panel.Storage.CreateContext();
        var forServer = await db.AuditEvents.Where(a => a.CertificateId == created.CertificateId).Select(a => a.Action).ToListAsync();
        var forRoot = await db.AuditEvents.Where(a => a.CertificateId == created.AuthorityCertificateId).Select(a => a.Action).ToListAsync();
        Assert.Equal(["certificate.create-self-signed", "certificate.set-default"], forServer.Order());
        Assert.Equal(["authority.create"], forRoot);
    }
}
