using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Metrics;

/// <summary>What a scrape says about one certificate of the inventory; no key, no DER.</summary>
public sealed record CertificateExpiryRow(int Id, string Description, string? CommonName, string Subject, string Issuer, DateTimeOffset NotAfter,
    bool IsCertificateAuthority, bool IsDefault, int? ReplacedById)
{
    public CertificateState StateAt(DateTimeOffset now) => CertificateStates.At(NotAfter, ReplacedById, now);
}

/// <summary>
/// The inventory's dates for /metrics as one plain SQLite read (the columns it needs, no EF Core context): a scrape
/// every few seconds must stay cheap at 10 000 certificates (bench/RESULTS.md, "Metrics scrape").
/// </summary>
public static class CertificateExpiryRows
{
    public static async Task<List<CertificateExpiryRow>> ReadAsync(DataDirectory data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var connection = await SqliteConnections.OpenAsync(data, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var defaultId = DefaultCertificate.ParseId(await SqliteConnections.ReadSettingAsync(connection, DefaultCertificate.Setting, cancellationToken)
                .ConfigureAwait(false));
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "SELECT \"Id\", \"Description\", \"CommonName\", \"Subject\", \"Issuer\", \"NotAfter\", \"IsCertificateAuthority\", \"ReplacedById\""
                    + " FROM \"Certificates\" ORDER BY \"Id\"";
                var rows = new List<CertificateExpiryRow>();
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var id = reader.GetInt32(0);
                        rows.Add(new CertificateExpiryRow(id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                            reader.GetString(4), new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero), reader.GetBoolean(6), id == defaultId,
                            reader.IsDBNull(7) ? null : reader.GetInt32(7)));
                    }
                }

                return rows;
            }
        }
    }
}
