using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Core.Tests;

/// <summary>Search, sort and paging over a couple of thousand real rows agree with the same query done in memory.</summary>
public sealed class InventoryListAtScaleTests(InventoryListAtScaleTests.Seeded seeded) : IClassFixture<InventoryListAtScaleTests.Seeded>
{
    private const int Count = 2000;
    private readonly PanelFixture _panel = seeded.Panel;
    private readonly List<Row> _all = seeded.All;

    /// <summary>Seeded once for the class: the tests only read.</summary>
    public sealed class Seeded : IAsyncLifetime
    {
        public PanelFixture Panel { get; private set; } = null!;

        internal List<Row> All { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Panel = await PanelFixture.CreateAsync();
            await InventorySeeder.SeedAsync(Panel.Storage, Panel.Time, Count);
            await using var db = Panel.Storage.CreateContext();
            All = await db.Certificates.AsNoTracking()
                .Select(c => new Row(c.Id, c.Description, c.CommonName, c.AlternativeNames, c.Issuer, c.NotAfter, c.CreatedAt)).ToListAsync();
        }

        public async Task DisposeAsync() => await Panel.DisposeAsync();
    }

    [Theory]
    [InlineData(null, 2001)]
    [InlineData("host0123", 10)]
    [InlineData("lab.lan", 500)]
    [InlineData("home.arpa", 1000)]
    [InlineData("Seed Root", 2001)]
    [InlineData("Service 00000", 1)]
    [InlineData("no-such-name", 0)]
    public async Task List_Search_CountsMatchingRows(string? search, int expected)
    {
        var page = await _panel.Inventory.ListAsync(new CertificateQuery { Search = search });

        Assert.Equal(expected, page.TotalCount);
        Assert.Equal(Math.Min(expected, 50), page.Items.Count);
    }

    [Theory]
    [InlineData(CertificateSort.Expiry)]
    [InlineData(CertificateSort.Description)]
    [InlineData(CertificateSort.CommonName)]
    [InlineData(CertificateSort.Issuer)]
    [InlineData(CertificateSort.Created)]
    public async Task List_EachSortBothDirectionsFirstAndLatePage_MatchesInMemoryOrder(CertificateSort sort)
    {
        foreach (var descending in new[] { false, true })
        {
            foreach (var search in new[] { null, "lab.lan" })
            {
                var expected = Order(_all.Where(r => Matches(r, search)), sort, descending).Select(r => r.Id).ToList();
                foreach (var pageNumber in new[] { 0, 3, (expected.Count - 1) / 50 })
                {
                    var page = await _panel.Inventory.ListAsync(new CertificateQuery
                    {
                        Search = search,
                        Sort = sort,
                        Descending = descending,
                        Page = pageNumber,
                        PageSize = 50,
                    });

                    Assert.Equal(expected.Skip(pageNumber * 50).Take(50), page.Items.Select(i => i.Id));
                    Assert.Equal(expected.Count, page.TotalCount);
                }
            }
        }
    }

    [Fact]
    public async Task List_PageBeyondTheEnd_EmptyWithTotal()
    {
        var page = await _panel.Inventory.ListAsync(new CertificateQuery { Page = 1000, PageSize = 50 });

        Assert.Empty(page.Items);
        Assert.Equal(Count + 1, page.TotalCount);
    }

    [Theory]
    [InlineData(null, CertificateSort.Expiry)]
    [InlineData("home.arpa", CertificateSort.Description)]
    public async Task ListRange_NoLimit_EveryMatchingRowInOrder(string? search, CertificateSort sort)
    {
        var expected = Order(_all.Where(r => Matches(r, search)), sort, descending: false).Select(r => r.Id).ToList();

        var all = await _panel.Inventory.ListRangeAsync(new CertificateQuery { Search = search, Sort = sort }, offset: 0, limit: null);

        Assert.True(expected.Count > CertificateQuery.MaxPageSize);
        Assert.Equal(expected, all.Items.Select(i => i.Id));
        Assert.Equal(expected.Count, all.TotalCount);
    }

    [Theory]
    [InlineData(null, 1234, 700)]
    [InlineData("lab.lan", 3, 17)]
    [InlineData(null, 1990, null)]
    public async Task ListRange_OffsetAndLimit_ThatSliceOfTheOrder(string? search, int offset, int? limit)
    {
        var expected = Order(_all.Where(r => Matches(r, search)), CertificateSort.Expiry, descending: false).Select(r => r.Id).ToList();

        var slice = await _panel.Inventory.ListRangeAsync(new CertificateQuery { Search = search }, offset, limit);

        Assert.Equal(expected.Skip(offset).Take(limit ?? int.MaxValue), slice.Items.Select(i => i.Id));
        Assert.Equal(expected.Count, slice.TotalCount);
    }

    private static bool Matches(Row row, string? search) => search is null
        || new[] { row.Description, row.CommonName ?? string.Empty, row.AlternativeNames, row.Issuer }
            .Any(text => text.Contains(search, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<Row> Order(IEnumerable<Row> rows, CertificateSort sort, bool descending) => (sort, descending) switch
    {
        (CertificateSort.Description, false) => rows.OrderBy(r => r.Description, StringComparer.Ordinal).ThenBy(r => r.Id),
        (CertificateSort.Description, true) => rows.OrderByDescending(r => r.Description, StringComparer.Ordinal).ThenBy(r => r.Id),
        (CertificateSort.CommonName, false) => rows.OrderBy(r => r.CommonName, StringComparer.Ordinal).ThenBy(r => r.Id),
        (CertificateSort.CommonName, true) => rows.OrderByDescending(r => r.CommonName, StringComparer.Ordinal).ThenBy(r => r.Id),
        (CertificateSort.Issuer, false) => rows.OrderBy(r => r.Issuer, StringComparer.Ordinal).ThenBy(r => r.Id),
        (CertificateSort.Issuer, true) => rows.OrderByDescending(r => r.Issuer, StringComparer.Ordinal).ThenBy(r => r.Id),
        (CertificateSort.Created, false) => rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id),
        (CertificateSort.Created, true) => rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id),
        (_, false) => rows.OrderBy(r => r.NotAfter).ThenBy(r => r.Id),
        (_, true) => rows.OrderByDescending(r => r.NotAfter).ThenBy(r => r.Id),
    };

    internal sealed record Row(int Id, string Description, string? CommonName, string AlternativeNames, string Issuer, DateTimeOffset NotAfter, DateTimeOffset CreatedAt);
}
