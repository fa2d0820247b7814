using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Core.Tests;

/// <summary>
/// A certificate made to be the default straight away (`cert create --set-default`, the wizards) passes the checks
/// `cert set-default` runs, or is not made: one rule, whichever way the default is chosen.
/// </summary>
public class DefaultOnIssueTests
{
    private const string NotForServers = "cannot be the panel's certificate: it is not allowed for TLS servers (its extended key usage lacks serverAuth)";

    [Fact]
    public async Task Issue_ClientCertificateAsDefault_RefusedAsSetDefaultRefusesItAndNothingStored()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authorities = new AuthorityService(panel.Storage, panel.Time);
        var root = await authorities.CreateRootAsync(new RootCaOptions { Subject = DistinguishedName.Create("Home Root").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 }, "admin");
        Assert.True(root.IsSuccess, root.Error);
        var client = await authorities.IssueAsync(root.Value.Id, ClientLeaf("laptop.home.arpa"), "", setAsDefault: false, "admin");
        Assert.True(client.IsSuccess, client.Error);
        var setDefault = await panel.Inventory.SetDefaultAsync(client.Value, "admin");
        var before = await panel.CountRowsAsync();

        var issued = await authorities.IssueAsync(root.Value.Id, ClientLeaf("phone.home.arpa"), "", setAsDefault: true, "admin");

        Assert.False(setDefault.IsSuccess);
        Assert.Contains(NotForServers, setDefault.Error, StringComparison.Ordinal);
        Assert.False(issued.IsSuccess);
        Assert.Equal("The new certificate " + NotForServers, issued.Error);
        Assert.Equal(before, await panel.CountRowsAsync());
        await using var db = panel.Storage.CreateContext();
        Assert.Null(await DefaultCertificate.GetAsync(db));
    }

    [Fact]
    public async Task CreateSelfSigned_ClientCertificateAsDefault_RefusedAndNoRootLeftBehind()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var request = PanelFixture.SelfSignedRequest("laptop.home.arpa") with { SetAsDefault = true };
        request = request with { Server = request.Server with { Profile = CertificateProfile.TlsClient } };

        var created = await panel.SelfSigned.CreateAsync(request, "admin");

        Assert.False(created.IsSuccess);
        Assert.Equal("The new certificate " + NotForServers, created.Error);
        Assert.Equal((0, 0, 0, 0), await panel.CountRowsAsync());
    }

    [Fact]
    public async Task Issue_ServerCertificateAsDefault_StoredAsTheDefault()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authorities = new AuthorityService(panel.Storage, panel.Time);
        var root = await authorities.CreateRootAsync(new RootCaOptions { Subject = DistinguishedName.Create("Home Root").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 }, "admin");

        var issued = await authorities.IssueAsync(root.Value.Id, ClientLeaf("nas.home.arpa") with { Profile = CertificateProfile.TlsServer }, "", setAsDefault: true, "admin");

        Assert.True(issued.IsSuccess, issued.Error);
        await using var db = panel.Storage.CreateContext();
        Assert.Equal(issued.Value, await DefaultCertificate.GetAsync(db));
        Assert.Single(await db.Certificates.Where(c => c.Id == issued.Value).ToListAsync());
    }

    private static LeafOptions ClientLeaf(string name) => new()
    {
        Subject = DistinguishedName.Create(name).Value,
        SubjectAlternativeNames = SanParser.ParseAll([name]).Value,
        KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        Profile = CertificateProfile.TlsClient,
    };
}
