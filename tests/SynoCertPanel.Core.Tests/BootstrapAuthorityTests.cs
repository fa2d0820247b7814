using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Listener;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

/// <summary>The panel's start-up CA: marked temporary, listed last, never preferred, retired only once something else is served.</summary>
public sealed class BootstrapAuthorityTests : IAsyncLifetime
{
    private PanelFixture _panel = null!;

    public async Task InitializeAsync() => _panel = await PanelFixture.CreateAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private AuthorityService Authorities => new(_panel.Storage, _panel.Time);

    private BootstrapRetirement Retirement => new(_panel.Storage, _panel.Time);

    private async Task<int> StartUpAsync()
    {
        var served = await new ServedCertificateStore(_panel.Storage, _panel.Time)
            .CreateSelfSignedDefaultAsync(SanParser.ParseAll(["nas1.local"]).Value, "nas1", "panel");
        Assert.True(served.IsSuccess, served.Error);
        return served.Value.CertificateId;
    }

    private async Task<AuthoritySummary> OwnRootAsync(string name)
    {
        var created = await Authorities.CreateRootAsync(new RootCaOptions { Subject = DistinguishedName.Create(name).Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 }, "admin");
        Assert.True(created.IsSuccess, created.Error);
        return created.Value;
    }

    private async Task<int> IssueAsync(int authorityId, string host, bool setAsDefault)
    {
        var issued = await Authorities.IssueAsync(authorityId, new LeafOptions
        {
            Subject = DistinguishedName.Create(host).Value,
            SubjectAlternativeNames = SanParser.ParseAll([host]).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, host, setAsDefault, "admin");
        Assert.True(issued.IsSuccess, issued.Error);
        return issued.Value;
    }

    [Fact]
    public async Task List_StartUpCaAndOwnCa_OwnFirstAndStartUpMarked()
    {
        await StartUpAsync();
        var own = await OwnRootAsync("Lab Root CA");

        var listed = await Authorities.ListAsync();

        Assert.Equal([own.Id], listed.Take(1).Select(a => a.Id));
        Assert.False(listed[0].IsBootstrap);
        Assert.True(listed[1].IsBootstrap);
        Assert.Equal("SynoCertPanel CA (nas1)", listed[1].Name);
    }

    [Fact]
    public async Task IsTemporary_CertificateList_MarksStartUpRootAndItsServerCertificateOnly()
    {
        await StartUpAsync();
        var own = await OwnRootAsync("SynoCertPanel CA (mine)");
        await IssueAsync(own.Id, "nas1.home.arpa", setAsDefault: false);

        var rows = (await _panel.Inventory.ListAsync(new CertificateQuery())).Items;

        Assert.Equal(4, rows.Count);
        Assert.Equal([ServedCertificateStore.SelfSignedDescription, "SynoCertPanel CA (nas1)"],
            rows.Where(BootstrapAuthority.IsTemporary).Select(r => r.Description).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Retire_WhileStartUpCertificateServed_RefusedAndNothingDeleted()
    {
        await StartUpAsync();
        var bootstrap = Assert.Single(await Authorities.ListAsync());

        var retired = await Retirement.RetireAsync(bootstrap.Id, "admin");

        Assert.False(retired.IsSuccess);
        Assert.Contains("still serves", retired.Error, StringComparison.Ordinal);
        Assert.Equal((2, 2, 1, 0), await _panel.CountRowsAsync());
    }

    [Fact]
    public async Task Retire_AfterOwnCertificateServed_DeletesStartUpCaAndItsCertificateAudited()
    {
        var startUp = await StartUpAsync();
        var own = await OwnRootAsync("Lab Root CA");
        var mine = await IssueAsync(own.Id, "nas1.home.arpa", setAsDefault: true);
        var bootstrap = (await Authorities.ListAsync()).Single(a => a.IsBootstrap);
        Assert.Null(await Retirement.RefusalAsync(bootstrap.Id));

        var retired = await Retirement.RetireAsync(bootstrap.Id, "admin");

        Assert.True(retired.IsSuccess, retired.Error);
        Assert.Equal([own.Id], (await Authorities.ListAsync()).Select(a => a.Id));
        await using var db = _panel.Storage.CreateContext();
        Assert.Equal([own.CertificateId, mine], await db.Certificates.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());
        Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.Action == "certificate.delete" && a.Outcome == Storage.AuditOutcome.Succeeded
            && (a.CertificateId == startUp || a.CertificateId == bootstrap.CertificateId)));
    }

    [Fact]
    public async Task Retire_OwnCa_Refused()
    {
        await StartUpAsync();
        var own = await OwnRootAsync("SynoCertPanel CA (look-alike)");

        Assert.Contains("not the panel's start-up CA", await Retirement.RefusalAsync(own.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preferred_StartUpAndOneOwnCa_TheOwnOne()
    {
        await StartUpAsync();
        var own = await OwnRootAsync("Lab Root CA");

        Assert.Equal(own.Id, AuthorityChoice.Preferred(await Authorities.ListAsync(), await Authorities.LastUsedAsync()));
    }

    [Fact]
    public async Task Preferred_OnlyStartUpCa_Nothing()
    {
        await StartUpAsync();

        Assert.Null(AuthorityChoice.Preferred(await Authorities.ListAsync(), await Authorities.LastUsedAsync()));
    }

    [Fact]
    public async Task Preferred_TwoOwnCas_TheOneThatSignedLast()
    {
        await StartUpAsync();
        var first = await OwnRootAsync("First Root");
        var second = await OwnRootAsync("Second Root");
        await IssueAsync(second.Id, "a.home.arpa", setAsDefault: false);
        await IssueAsync(first.Id, "b.home.arpa", setAsDefault: false);

        Assert.Equal(first.Id, await Authorities.LastUsedAsync());
        Assert.Equal(first.Id, AuthorityChoice.Preferred(await Authorities.ListAsync(), await Authorities.LastUsedAsync()));
    }

    [Fact]
    public async Task Preferred_TwoOwnCasNeverUsed_Nothing()
    {
        await StartUpAsync();
        await OwnRootAsync("First Root");
        await OwnRootAsync("Second Root");

        Assert.Null(AuthorityChoice.Preferred(await Authorities.ListAsync(), await Authorities.LastUsedAsync()));
    }
}
