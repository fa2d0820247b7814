using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Core.Tests;

public class AuthorityAndSigningTests
{
    [Fact]
    public async Task CreateRoot_NameConstrained_ListedWithItsConstraints()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authorities = new AuthorityService(panel.Storage, panel.Time);

        var created = await authorities.CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Home Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            NameConstraints = NameConstraints.Create(["home.arpa"], ["192.168.0.0/16"]).Value,
        }, "admin");

        Assert.True(created.IsSuccess, created.Error);
        var listed = Assert.Single(await authorities.ListAsync());
        Assert.Equal(["home.arpa"], listed.PermittedDns);
        Assert.Equal(["192.168.0.0/16"], listed.PermittedIpRanges);
    }

    [Fact]
    public async Task Issue_OutsideNameConstraints_RefusedAndAudited()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authorities = new AuthorityService(panel.Storage, panel.Time);
        var root = (await authorities.CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Home Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            NameConstraints = NameConstraints.Create(["home.arpa"], []).Value,
        }, "admin")).Value;

        var inside = await authorities.IssueAsync(root.Id, Leaf("nas.home.arpa"), "", setAsDefault: false, "admin");
        var outside = await authorities.IssueAsync(root.Id, Leaf("www.example.com"), "", setAsDefault: false, "admin");
        var address = await authorities.IssueAsync(root.Id, Leaf("192.168.1.20"), "", setAsDefault: false, "admin");

        Assert.True(inside.IsSuccess, inside.Error);
        Assert.False(outside.IsSuccess);
        Assert.Contains("www.example.com", outside.Error, StringComparison.Ordinal);
        // Listing DNS suffixes only shuts out IP addresses: the root says so and can vouch for none.
        Assert.True(root.PermitsNoIpAddresses);
        Assert.False(address.IsSuccess);
        Assert.Contains("may certify (DNS: home.arpa; IP: none)", address.Error, StringComparison.Ordinal);
        await using var db = panel.Storage.CreateContext();
        Assert.Equal(2, await db.Certificates.CountAsync());
        Assert.Equal(AuditOutcome.Refused, (await db.AuditEvents.OrderBy(a => a.Id).LastAsync()).Outcome);
    }

    [Fact]
    public async Task Issue_UnknownAuthority_ClearMessage()
    {
        await using var panel = await PanelFixture.CreateAsync();

        var result = await new AuthorityService(panel.Storage, panel.Time).IssueAsync(99, Leaf("nas.home.arpa"), "", false, "admin");

        Assert.False(result.IsSuccess);
        Assert.Equal("There is no CA with id 99 held here.", result.Error);
    }

    [Fact]
    public async Task SeedScenario_Panel2RequestSignedByPanel1_VerifiesWithPanel1Root()
    {
        await using var panel1 = await PanelFixture.CreateAsync();
        await using var panel2 = await PanelFixture.CreateAsync();
        var created = (await panel1.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa", "127.0.0.1"), "admin")).Value;

        var pending = await new RequestService(panel2.Storage, panel2.Time).CreateAsync(DistinguishedName.Create("nas2.home.arpa").Value,
            SanParser.ParseAll(["192.168.1.11"]).Value, KeyAlgorithm.EcdsaP256, "", "admin");
        Assert.True(pending.IsSuccess, pending.Error);
        var csr = CertificateSigningRequest.FromDer(pending.Value.Request.ToDer()).Value;
        var signed = await new SigningService(panel1.Storage, panel1.Time).SignAsync(created.AuthorityId, csr, new SignRequestOptions(), "", "admin");

        Assert.True(signed.IsSuccess, signed.Error);
        Assert.Equal(["DNS:nas2.home.arpa", "IP:192.168.1.11"], signed.Value.Issued.Certificate.SubjectAlternativeNames.Select(n => n.ToString()));
        var dir = Directory.CreateDirectory(Path.Combine(panel1.Path, "out")).FullName;
        File.WriteAllText(Path.Combine(dir, "root.pem"), signed.Value.Issued.Chain[^1].ToPem());
        File.WriteAllText(Path.Combine(dir, "nas2.pem"), signed.Value.Issued.Certificate.ToPem());
        var verify = PanelFixture.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "nas2.home.arpa",
            "-CAfile", Path.Combine(dir, "root.pem"), Path.Combine(dir, "nas2.pem"));
        Assert.True(verify.ExitCode == 0, verify.Output);

        await using var db1 = panel1.Storage.CreateContext();
        var record = await db1.Certificates.SingleAsync(c => c.Id == signed.Value.CertificateId);
        Assert.Equal(CertificateSource.SignedRequest, record.Source);
        Assert.Null(record.PrivateKeyId);
        Assert.Equal(2, await db1.IssuedSerials.CountAsync(s => s.AuthorityId == created.AuthorityId));
        await using var db2 = panel2.Storage.CreateContext();
        Assert.Equal(1, await db2.PendingRequests.CountAsync());
        Assert.Equal(1, await db2.PrivateKeys.CountAsync());
    }

    [Fact]
    public async Task ListIssued_TwoAuthorities_ListsOnlyTheCertificatesEachSigned()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var first = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("one.home.arpa"), "admin")).Value;
        var second = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("two.home.arpa"), "admin")).Value;
        var authorities = new AuthorityService(panel.Storage, panel.Time);
        var extra = await authorities.IssueAsync(first.AuthorityId, Leaf("three.home.arpa"), "third", setAsDefault: false, "admin");
        Assert.True(extra.IsSuccess, extra.Error);

        var issuedByFirst = await authorities.ListIssuedAsync(first.AuthorityId);
        var issuedBySecond = await authorities.ListIssuedAsync(second.AuthorityId);

        Assert.Equal([first.CertificateId, extra.Value], issuedByFirst.Select(c => c.Id));
        Assert.Equal("third", issuedByFirst[1].Description);
        Assert.Contains("three.home.arpa", issuedByFirst[1].AlternativeNames, StringComparison.Ordinal);
        Assert.Equal([second.CertificateId], issuedBySecond.Select(c => c.Id));
        Assert.Empty(await authorities.ListIssuedAsync(999));
    }

    private static LeafOptions Leaf(string name) => new()
    {
        Subject = DistinguishedName.Create(name).Value,
        KeyAlgorithm = KeyAlgorithm.EcdsaP256,
    };
}
