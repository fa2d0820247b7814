using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tests;

/// <summary>The list is read with plain SQL; every field of every row must be what the EF Core model reads from the same rows.</summary>
public sealed class CertificateListReadTests
{
    [Fact]
    public async Task List_EveryKindOfRow_SameFieldsAsTheRowsReadThroughEfCore()
    {
        await using var panel = await PanelFixture.CreateAsync();
        foreach (var host in new[] { "alpha.home.arpa", "bravo.lan", "charlie.lan" })
        {
            Assert.True((await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest(host, host, "10.0.0.7") with { SetAsDefault = host == "bravo.lan" }, "t")).IsSuccess);
        }

        int replacedId, replacementId;
        await using (var db = panel.Storage.CreateContext())
        {
            var leaves = await db.Certificates.Where(c => !c.IsCertificateAuthority).OrderBy(c => c.Id).ToListAsync();
            (replacedId, replacementId) = (leaves[0].Id, leaves[2].Id);
            // The rarer shapes a list row can have: no common name, imported without its key, replaced by a renewal.
            leaves[0].ReplacedById = replacementId;
            leaves[1].CommonName = null;
            leaves[2].Source = CertificateSource.Imported;
            leaves[2].PrivateKeyId = null;
            leaves[2].Description = "with 50% of a name_";
            await db.SaveChangesAsync();
        }

        var all = await panel.Inventory.ListRangeAsync(new CertificateQuery { IncludeReplaced = true }, 0, null);
        var current = await panel.Inventory.ListRangeAsync(new CertificateQuery(), 0, null);
        var percent = await panel.Inventory.ListRangeAsync(new CertificateQuery { Search = "50%", IncludeReplaced = true }, 0, null);
        var underscore = await panel.Inventory.ListRangeAsync(new CertificateQuery { Search = "e_", IncludeReplaced = true }, 0, null);

        var expected = await ThroughEfCoreAsync(panel.Storage);
        Assert.Equal(6, all.TotalCount);
        Assert.Equal(expected.OrderBy(s => s.NotAfter).ThenBy(s => s.Id).Select(Describe), all.Items.Select(Describe));
        Assert.Equal(5, current.TotalCount);
        Assert.DoesNotContain(current.Items, s => s.Id == replacedId);
        Assert.Single(all.Items, s => s.IsDefault);
        Assert.Contains(all.Items, s => s.CommonName is null);
        Assert.Equal([replacementId], percent.Items.Select(s => s.Id));
        Assert.Equal([replacementId], underscore.Items.Select(s => s.Id));
    }

    [Fact]
    public async Task List_OffsetAndLimit_SliceTheSameOrder()
    {
        await using var panel = await PanelFixture.CreateAsync();
        foreach (var host in new[] { "a.lan", "b.lan", "c.lan" })
        {
            Assert.True((await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest(host) with { SetAsDefault = false }, "t")).IsSuccess);
        }

        var whole = await panel.Inventory.ListRangeAsync(new CertificateQuery { Sort = CertificateSort.CommonName, Descending = true }, 0, null);
        var middle = await panel.Inventory.ListRangeAsync(new CertificateQuery { Sort = CertificateSort.CommonName, Descending = true }, 2, 3);
        var none = await panel.Inventory.ListRangeAsync(new CertificateQuery(), 0, 0);
        var past = await panel.Inventory.ListRangeAsync(new CertificateQuery(), 100, null);

        Assert.Equal(6, whole.Items.Count);
        Assert.Equal(whole.Items.Skip(2).Take(3).Select(s => s.Id), middle.Items.Select(s => s.Id));
        Assert.Equal(6, middle.TotalCount);
        Assert.Empty(none.Items);
        Assert.Equal(6, none.TotalCount);
        Assert.Empty(past.Items);
    }

    private static async Task<List<CertificateSummary>> ThroughEfCoreAsync(PanelStorage storage)
    {
        await using var db = storage.CreateContext();
        var defaultId = await DefaultCertificate.GetAsync(db);
        var rows = await db.Certificates.AsNoTracking().ToListAsync();
        return rows.Select(c => new CertificateSummary(c.Id, c.Description, c.CommonName, c.AlternativeNames.Length == 0 ? [] : c.AlternativeNames.Split('\n'),
            c.Issuer, c.NotBefore, c.NotAfter, c.KeyDescription, c.Source, c.Id == defaultId, c.IsCertificateAuthority, c.PrivateKeyId is not null,
            c.ReplacedById)).ToList();
    }

    /// <summary>Records compare lists by reference: spell each row out, names included.</summary>
    private static string Describe(CertificateSummary s) => (s with { AlternativeNames = [] }) + " names=" + string.Join('|', s.AlternativeNames);
}
