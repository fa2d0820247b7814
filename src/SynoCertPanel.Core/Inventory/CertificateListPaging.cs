using System.Globalization;
using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// One page of the certificate list, for the pages and the command line alike, read with plain SQLite commands.
/// <para>
/// Plain SQL because this read is most of what a short `cert list` process does, and EF Core compiling its first LINQ
/// query and building its internal services were 60–70 % of that process's time (bench/results/cli-startup.md).
/// </para>
/// <para>
/// The ids of the page and the total are found without touching the wide table rows (each carries its DER and chain):
/// at 10 000 certificates, walking those rows is what made search and late pages slow (bench/results/inventory.md).
/// Then only the page's rows are loaded.
/// </para>
/// </summary>
internal static class CertificateListPaging
{
    private const string Columns = "\"Id\", \"Description\", \"CommonName\", \"AlternativeNames\", \"Issuer\", \"NotBefore\", \"NotAfter\", "
        + "\"KeyDescription\", \"Source\", \"IsCertificateAuthority\", \"PrivateKeyId\" IS NOT NULL, \"ReplacedById\"";

    /// <summary>Rows <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="take"/> (all the rest when null) in the query's order, and the total.</summary>
    public static async Task<CertificatePage> ReadAsync(DataDirectory data, CertificateQuery query, int skip, int? take, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(data.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // One snapshot for the four reads: a row written in between shows up in all of them or in none.
            var transaction = connection.BeginTransaction(deferred: true);
            await using (transaction.ConfigureAwait(false))
            {
                var defaultId = DefaultCertificate.ParseId(await SqliteConnections.ReadSettingAsync(connection, DefaultCertificate.Setting, cancellationToken).ConfigureAwait(false));
                var (ids, total) = await FindAsync(connection, query, skip, take, cancellationToken).ConfigureAwait(false);
                var loaded = await LoadAsync(connection, ids, defaultId, cancellationToken).ConfigureAwait(false);
                // A row deleted between two reads of another connection is simply left out of this page.
                return new CertificatePage(ids.Where(loaded.ContainsKey).Select(i => loaded[i]).ToList(), total);
            }
        }
    }

    private static async Task<(List<int> Ids, int Total)> FindAsync(SqliteConnection connection, CertificateQuery query, int skip, int? take,
        CancellationToken cancellationToken)
    {
        // Replaced rows are hidden by a filter only when there are any (one lookup in IX_Certificates_ReplacedById): the
        // filter reads each row, which the index-only walks below avoid for the usual inventory without renewals.
        var hideReplaced = !query.IncludeReplaced && Convert.ToInt64(await ScalarAsync(connection,
            "SELECT EXISTS (SELECT 1 FROM \"Certificates\" WHERE \"ReplacedById\" IS NOT NULL)", cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture) != 0;
        var current = hideReplaced ? "\"ReplacedById\" IS NULL" : "1";
        if (string.IsNullOrWhiteSpace(query.Search))
        {
            // Each sort has an index whose entries end in the row id, so the offset and limit walk that index only.
            var total = Convert.ToInt32(await ScalarAsync(connection, $"SELECT COUNT(*) FROM \"Certificates\" WHERE {current}", cancellationToken)
                .ConfigureAwait(false), CultureInfo.InvariantCulture);
            var ids = new List<int>();
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = $"SELECT \"Id\" FROM \"Certificates\" WHERE {current} ORDER BY {OrderBy(query.Sort, query.Descending)} LIMIT $take OFFSET $skip";
                command.Parameters.AddWithValue("$take", take ?? -1);
                command.Parameters.AddWithValue("$skip", skip);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ids.Add(reader.GetInt32(0));
                    }
                }
            }

            return (ids, total);
        }

        // A search cannot use an index for LIKE '%…%', and SQLite would rather walk a sort index and fetch every row
        // to test it. Reading the sort keys of the matches from IX_Certificates_Search (which covers them) and
        // sorting those in memory is one narrow scan, even when every row matches. Only the one key this sort needs:
        // when every row matches, reading the rows is most of the cost.
        var pattern = "%" + query.Search.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var key = query.Sort switch
        {
            CertificateSort.Description => "\"Description\"",
            CertificateSort.CommonName => "\"CommonName\"",
            CertificateSort.Issuer => "\"Issuer\"",
            CertificateSort.Created => "\"CreatedAt\"",
            _ => "\"NotAfter\"",
        };
        var matches = new List<SortKey>();
        var search = connection.CreateCommand();
        await using (search.ConfigureAwait(false))
        {
            search.CommandText = $"SELECT \"Id\", {key} FROM \"Certificates\" WHERE {current} AND (\"Description\" LIKE $pattern ESCAPE '\\' "
                + "OR \"CommonName\" LIKE $pattern ESCAPE '\\' OR \"AlternativeNames\" LIKE $pattern ESCAPE '\\' OR \"Issuer\" LIKE $pattern ESCAPE '\\')";
            search.Parameters.AddWithValue("$pattern", pattern);
            var reader = await search.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var byText = query.Sort is CertificateSort.Description or CertificateSort.CommonName or CertificateSort.Issuer;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    matches.Add(byText
                        ? new SortKey(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1), 0)
                        : new SortKey(reader.GetInt32(0), null, reader.GetInt64(1)));
                }
            }
        }

        var ordered = Sorted(matches, query.Sort, query.Descending).Skip(skip);
        return ((take is { } limit ? ordered.Take(limit) : ordered).Select(k => k.Id).ToList(), matches.Count);
    }

    private static async Task<Dictionary<int, CertificateSummary>> LoadAsync(SqliteConnection connection, List<int> ids, int? defaultId,
        CancellationToken cancellationToken)
    {
        var rows = new Dictionary<int, CertificateSummary>(ids.Count);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = $"SELECT {Columns} FROM \"Certificates\" WHERE \"Id\" IN (SELECT \"value\" FROM json_each($ids))";
            command.Parameters.AddWithValue("$ids", "[" + string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]");
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var id = reader.GetInt32(0);
                    var names = reader.GetString(3);
                    rows[id] = new CertificateSummary(id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                        names.Length == 0 ? [] : names.Split('\n'), reader.GetString(4), Ticks(reader.GetInt64(5)), Ticks(reader.GetInt64(6)),
                        reader.GetString(7), Enum.Parse<CertificateSource>(reader.GetString(8)), id == defaultId, reader.GetBoolean(9), reader.GetBoolean(10),
                        reader.IsDBNull(11) ? null : reader.GetInt32(11));
                }
            }
        }

        return rows;
    }

    /// <summary>Dates are stored as UTC ticks (PanelDbContext).</summary>
    private static DateTimeOffset Ticks(long ticks) => new(ticks, TimeSpan.Zero);

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ties by id; each matches one of the list's indexes (PanelDbContext) exactly, so the walk needs no sort step.</summary>
    private static string OrderBy(CertificateSort sort, bool descending) => (sort, descending) switch
    {
        (CertificateSort.Description, false) => "\"Description\", \"Id\"",
        (CertificateSort.Description, true) => "\"Description\" DESC, \"Id\"",
        (CertificateSort.CommonName, false) => "\"CommonName\", \"Id\"",
        (CertificateSort.CommonName, true) => "\"CommonName\" DESC, \"Id\"",
        (CertificateSort.Issuer, false) => "\"Issuer\", \"Id\"",
        (CertificateSort.Issuer, true) => "\"Issuer\" DESC, \"Id\"",
        // By the time it was added, ties by id: both directions then match IX_Certificates_CreatedAt (CreatedAt, rowid) exactly.
        (CertificateSort.Created, false) => "\"CreatedAt\", \"Id\"",
        (CertificateSort.Created, true) => "\"CreatedAt\" DESC, \"Id\" DESC",
        (_, false) => "\"NotAfter\", \"Id\"",
        (_, true) => "\"NotAfter\" DESC, \"Id\"",
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

    private sealed record SortKey(int Id, string? Text, long At);
}
