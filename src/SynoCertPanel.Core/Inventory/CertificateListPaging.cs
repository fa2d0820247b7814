using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// Finds the ids of one page of the certificate list, and the total, without touching the wide table rows
/// (each carries its DER and chain): at 10 000 certificates, walking those rows is what made search and late
/// pages slow (figures in bench/results/inventory.md). The caller then loads only the page's rows.
/// </summary>
internal static class CertificateListPaging
{
    /// <summary>The ids of rows <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="take"/> (all the rest when null) in the query's order.</summary>
    public static async Task<(List<int> Ids, int Total)> FindAsync(PanelDbContext db, CertificateQuery query, int skip, int? take,
        CancellationToken cancellationToken)
    {
        // Replaced rows are hidden by a filter only when there are any (one lookup in IX_Certificates_ReplacedById): the
        // filter reads each row, which the index-only walks below avoid for the usual inventory without renewals.
        var hideReplaced = !query.IncludeReplaced
            && await db.Certificates.AnyAsync(c => c.ReplacedById != null, cancellationToken).ConfigureAwait(false);
        var rows = hideReplaced ? db.Certificates.AsNoTracking().Where(c => c.ReplacedById == null) : db.Certificates.AsNoTracking();
        if (string.IsNullOrWhiteSpace(query.Search))
        {
            // Each sort has an index whose entries end in the row id, so skip and take walk that index only.
            var total = await rows.CountAsync(cancellationToken).ConfigureAwait(false);
            var sorted = Sorted(rows, query.Sort, query.Descending).Skip(skip);
            var ids = await (take is { } count ? sorted.Take(count) : sorted).Select(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            return (ids, total);
        }

        // A search cannot use an index for LIKE '%…%', and SQLite would rather walk a sort index and fetch every row
        // to test it. Reading the sort keys of the matches from IX_Certificates_Search (which covers them) and
        // sorting those in memory is one narrow scan, even when every row matches.
        var pattern = "%" + query.Search.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var filtered = rows
            .Where(c => EF.Functions.Like(c.Description, pattern, "\\") || EF.Functions.Like(c.CommonName!, pattern, "\\")
                || EF.Functions.Like(c.AlternativeNames, pattern, "\\") || EF.Functions.Like(c.Issuer, pattern, "\\"));
        // Only the one key this sort needs: when every row matches, materialising the rows is most of the cost.
        var keys = query.Sort switch
        {
            CertificateSort.Description => filtered.Select(c => new SortKey { Id = c.Id, Text = c.Description }),
            CertificateSort.CommonName => filtered.Select(c => new SortKey { Id = c.Id, Text = c.CommonName }),
            CertificateSort.Issuer => filtered.Select(c => new SortKey { Id = c.Id, Text = c.Issuer }),
            CertificateSort.Created => filtered.Select(c => new SortKey { Id = c.Id, At = c.CreatedAt }),
            _ => filtered.Select(c => new SortKey { Id = c.Id, At = c.NotAfter }),
        };
        var matches = await keys.ToListAsync(cancellationToken).ConfigureAwait(false);
        var ordered = Sorted(matches, query.Sort, query.Descending).Skip(skip);
        var pageIds = (take is { } limit ? ordered.Take(limit) : ordered).Select(k => k.Id).ToList();
        return (pageIds, matches.Count);
    }

    private static IQueryable<CertificateRecord> Sorted(IQueryable<CertificateRecord> rows, CertificateSort sort, bool descending) => (sort, descending) switch
    {
        (CertificateSort.Description, false) => rows.OrderBy(c => c.Description).ThenBy(c => c.Id),
        (CertificateSort.Description, true) => rows.OrderByDescending(c => c.Description).ThenBy(c => c.Id),
        (CertificateSort.CommonName, false) => rows.OrderBy(c => c.CommonName).ThenBy(c => c.Id),
        (CertificateSort.CommonName, true) => rows.OrderByDescending(c => c.CommonName).ThenBy(c => c.Id),
        (CertificateSort.Issuer, false) => rows.OrderBy(c => c.Issuer).ThenBy(c => c.Id),
        (CertificateSort.Issuer, true) => rows.OrderByDescending(c => c.Issuer).ThenBy(c => c.Id),
        // By the time it was added, ties by id: both directions then match IX_Certificates_CreatedAt (CreatedAt, rowid) exactly.
        (CertificateSort.Created, false) => rows.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
        (CertificateSort.Created, true) => rows.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
        (_, false) => rows.OrderBy(c => c.NotAfter).ThenBy(c => c.Id),
        (_, true) => rows.OrderByDescending(c => c.NotAfter).ThenBy(c => c.Id),
    };

    /// <summary>The same order as the SQL above: ordinal text like SQLite's BINARY collation, nulls first.</summary>
    private static IEnumerable<SortKey> Sorted(List<SortKey> rows, CertificateSort sort, bool descending) => (sort, descending) switch
    {
        (CertificateSort.Description or CertificateSort.CommonName or CertificateSort.Issuer, false) =>
            rows.OrderBy(k => k.Text, StringComparer.Ordinal).ThenBy(k => k.Id),
        (CertificateSort.Description or CertificateSort.CommonName or CertificateSort.Issuer, true) =>
            rows.OrderByDescending(k => k.Text, StringComparer.Ordinal).ThenBy(k => k.Id),
        (CertificateSort.Created, false) => rows.OrderBy(k => k.At).ThenBy(k => k.Id),
        (CertificateSort.Created, true) => rows.OrderByDescending(k => k.At).ThenByDescending(k => k.Id),
        (_, false) => rows.OrderBy(k => k.At).ThenBy(k => k.Id),
        (_, true) => rows.OrderByDescending(k => k.At).ThenBy(k => k.Id),
    };

    private sealed class SortKey
    {
        public int Id { get; init; }

        public string? Text { get; init; }

        public DateTimeOffset At { get; init; }
    }
}
