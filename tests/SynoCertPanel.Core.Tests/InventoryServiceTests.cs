using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Core.Tests;

public class InventoryServiceTests
{
    [Fact]
    public async Task List_SearchSortAndPage_ReturnsMatchingRowsInOrder()
    {
        await using var panel = await PanelFixture.CreateAsync();
        foreach (var host in new[] { "alpha.home.arpa", "bravo.home.arpa", "charlie.lan" })
        {
            Assert.True((await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest(host) with { SetAsDefault = false }, "t")).IsSuccess);
        }

        var search = await panel.Inventory.ListAsync(new CertificateQuery { Search = "home.arpa", Sort = CertificateSort.Description });
        var page = await panel.Inventory.ListAsync(new CertificateQuery { Sort = CertificateSort.Description, Descending = true, PageSize = 2, Page = 1 });
        var literalPercent = await panel.Inventory.ListAsync(new CertificateQuery { Search = "%" });

        Assert.Equal(4, search.TotalCount);
        Assert.Equal("alpha.home.arpa", search.Items.First(i => !i.IsCertificateAuthority).Description);
        Assert.Equal(6, page.TotalCount);
        Assert.Equal(2, page.Items.Count);
        Assert.Equal(0, literalPercent.TotalCount);
    }

    [Fact]
    public async Task SetDefault_CaCertificate_Refused()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa"), "t")).Value;

        var result = await panel.Inventory.SetDefaultAsync(created.AuthorityCertificateId, "t");

        Assert.False(result.IsSuccess);
        Assert.Contains("CA certificate", result.Error, StringComparison.Ordinal);
        Assert.True((await panel.Inventory.GetAsync(created.CertificateId)).Value.Summary.IsDefault);
    }

    [Fact]
    public async Task SetDefault_OtherServerCertificate_MovesTheMarker()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var first = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa"), "t")).Value;
        var second = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas2.home.arpa") with { SetAsDefault = false }, "t")).Value;

        var result = await panel.Inventory.SetDefaultAsync(second.CertificateId, "t");

        Assert.True(result.IsSuccess, result.Error);
        Assert.False((await panel.Inventory.GetAsync(first.CertificateId)).Value.Summary.IsDefault);
        Assert.True((await panel.Inventory.GetAsync(second.CertificateId)).Value.Summary.IsDefault);
    }

    [Fact]
    public async Task SetDefault_IssuedByCaHeldHere_NoWarningAboutTheRoot()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var first = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa"), "t")).Value;
        var second = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas2.home.arpa") with { SetAsDefault = false }, "t")).Value;

        var result = await panel.Inventory.SetDefaultAsync(second.CertificateId, "t");

        Assert.True(result.IsSuccess, result.Error);
        Assert.True(result.Warnings.Count == 0, string.Join(Environment.NewLine, result.Warnings));
        Assert.True((await panel.Inventory.GetAsync(first.CertificateId)).IsSuccess);
    }

    [Fact]
    public async Task Delete_DefaultCertificate_Refused()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa"), "t")).Value;

        var result = await panel.Inventory.DeleteAsync(created.CertificateId, force: true, "t");

        Assert.False(result.IsSuccess);
        Assert.Contains("serves", result.Error, StringComparison.Ordinal);
        Assert.True((await panel.Inventory.GetAsync(created.CertificateId)).IsSuccess);
    }

    [Fact]
    public async Task Delete_CaWithLiveCertificates_RefusedUnlessForced()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa") with { SetAsDefault = false }, "t")).Value;

        var refused = await panel.Inventory.DeleteAsync(created.AuthorityCertificateId, force: false, "t");
        var forced = await panel.Inventory.DeleteAsync(created.AuthorityCertificateId, force: true, "t");

        Assert.False(refused.IsSuccess);
        Assert.Contains("1 unexpired", refused.Error, StringComparison.Ordinal);
        Assert.True(forced.IsSuccess, forced.Error);
        Assert.False((await panel.Inventory.GetAsync(created.AuthorityCertificateId)).IsSuccess);
        Assert.Null((await panel.Inventory.GetAsync(created.CertificateId)).Value.AuthorityId);
    }

    [Fact]
    public async Task Get_UnknownId_ClearMessage()
    {
        await using var panel = await PanelFixture.CreateAsync();

        var result = await panel.Inventory.GetAsync(4242);

        Assert.False(result.IsSuccess);
        Assert.Equal("There is no certificate with id 4242.", result.Error);
    }
}
