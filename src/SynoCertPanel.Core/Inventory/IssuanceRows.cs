using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Security;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Issuance;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// Issuing's reads and writes as plain SQLite commands, for the pages and the command line alike: the CA with its key,
/// then the new certificate with its key, its serial, its audit events and (when asked) the default, in one transaction.
/// <para>
/// Plain SQL because a `cert create` process spent about 0.85 s of its 1 s in EF Core: building its internal services,
/// compiling the first LINQ queries and the first save (bench/RESULTS.md, "Command-line start-up"). The rows are the
/// entity classes of <see cref="PanelDbContext"/>; the columns below are checked against its model by a test, so a
/// column added there and forgotten here fails the build's tests rather than a user's write.
/// </para>
/// </summary>
internal static class IssuanceRows
{
    internal static readonly string[] CertificateColumns =
    [
        "Description", "Subject", "CommonName", "AlternativeNames", "Issuer", "SerialNumber", "NotBefore", "NotAfter", "KeyDescription",
        "Sha256Fingerprint", "Source", "IsCertificateAuthority", "Der", "ChainPem", "PrivateKeyId", "IssuedByAuthorityId", "ReplacedById", "CreatedAt",
    ];

    internal static readonly string[] PrivateKeyColumns = ["Algorithm", "PublicKeySha256", "EncryptedPkcs8", "CreatedAt"];

    internal static readonly string[] IssuedSerialColumns = ["AuthorityId", "SerialNumber", "IssuedAt"];

    internal static readonly string[] AuditEventColumns = ["At", "Actor", "Action", "CertificateId", "Target", "Outcome", "Detail"];

    internal static readonly string[] AuthorityColumns = ["CertificateId", "CreatedAt"];

    /// <summary>The ids of the CAs held here, oldest first.</summary>
    public static async Task<List<int>> AuthorityIdsAsync(DataDirectory data, CancellationToken cancellationToken)
    {
        var connection = await SqliteConnections.OpenAsync(data, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "SELECT \"Id\" FROM \"Authorities\" ORDER BY \"Id\"";
                var ids = new List<int>();
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ids.Add(reader.GetInt32(0));
                    }
                }

                return ids;
            }
        }
    }

    /// <summary>Loads a CA held here with its key, ready to sign; a clear refusal when there is none or its key cannot be opened.</summary>
    public static async Task<Result<(AuthorityRecord Record, CertificateAuthority Authority)>> LoadAuthorityAsync(DataDirectory data,
        KeyProtector protector, int authorityId, CancellationToken cancellationToken)
    {
        var record = await ReadAuthorityAsync(data, authorityId, cancellationToken).ConfigureAwait(false);
        if (record?.Certificate.PrivateKey is null)
        {
            return Result.Failure<(AuthorityRecord, CertificateAuthority)>($"There is no CA with id {authorityId} held here.");
        }

        var key = Records.OpenKey(protector, record.Certificate.PrivateKey);
        if (!key.IsSuccess)
        {
            return Result.Failure<(AuthorityRecord, CertificateAuthority)>(key.Error!);
        }

        var authority = CertificateAuthority.Create(Records.ToCertificate(record.Certificate), key.Value, Records.ChainOf(record.Certificate));
        return authority.Map(a => (record, a));
    }

    /// <summary>
    /// Stores a certificate a CA held here issued, with its key, its serial and <paramref name="events"/> (each linked
    /// to the new row), and makes it the default when asked, in one transaction. Sets the new ids on the records.
    /// </summary>
    public static async Task StoreIssuedAsync(DataDirectory data, CertificateRecord certificate, IssuedSerialRecord serial,
        IReadOnlyList<AuditEventRecord> events, bool setAsDefault, CancellationToken cancellationToken)
    {
        var connection = await SqliteConnections.OpenAsync(data, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // BEGIN IMMEDIATE: the write lock is taken at once, so two processes never both read and then fail to upgrade.
            var transaction = connection.BeginTransaction(deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                await InsertIssuedAsync(connection, certificate, serial, events, setAsDefault, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stores a new root CA (certificate, key and authority row, with <paramref name="rootEvents"/>) and the first
    /// certificate it issued (as <see cref="StoreIssuedAsync"/>) in one transaction. With <paramref name="onlyAsFirstAuthority"/>
    /// nothing is stored and false returned when a CA is already held: the check runs under the write lock, which SQLite
    /// holds across processes too.
    /// </summary>
    public static async Task<bool> StoreRootAndIssuedAsync(DataDirectory data, AuthorityRecord authority, IReadOnlyList<AuditEventRecord> rootEvents,
        CertificateRecord certificate, IssuedSerialRecord serial, IReadOnlyList<AuditEventRecord> events, bool setAsDefault, bool onlyAsFirstAuthority,
        CancellationToken cancellationToken)
    {
        var connection = await SqliteConnections.OpenAsync(data, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = connection.BeginTransaction(deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                if (onlyAsFirstAuthority && await SqliteConnections.AnyRowAsync(connection, "Authorities", cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                await InsertCertificateAsync(connection, authority.Certificate, cancellationToken).ConfigureAwait(false);
                authority.CertificateId = authority.Certificate.Id;
                authority.Id = await InsertAsync(connection, "Authorities", AuthorityColumns, [authority.CertificateId, authority.CreatedAt.UtcTicks],
                    cancellationToken).ConfigureAwait(false);
                foreach (var audit in rootEvents)
                {
                    audit.CertificateId = authority.CertificateId;
                    audit.Id = await InsertAsync(connection, "AuditEvents", AuditEventColumns, AuditValues(audit), cancellationToken).ConfigureAwait(false);
                }

                certificate.IssuedByAuthorityId = authority.Id;
                serial.AuthorityId = authority.Id;
                await InsertIssuedAsync(connection, certificate, serial, events, setAsDefault, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    private static async Task InsertIssuedAsync(SqliteConnection connection, CertificateRecord certificate, IssuedSerialRecord serial,
        IReadOnlyList<AuditEventRecord> events, bool setAsDefault, CancellationToken cancellationToken)
    {
        await InsertCertificateAsync(connection, certificate, cancellationToken).ConfigureAwait(false);
        serial.Id = await InsertAsync(connection, "IssuedSerials", IssuedSerialColumns,
            [serial.AuthorityId, serial.SerialNumber, serial.IssuedAt.UtcTicks], cancellationToken).ConfigureAwait(false);
        foreach (var audit in events)
        {
            audit.CertificateId = certificate.Id;
            audit.Id = await InsertAsync(connection, "AuditEvents", AuditEventColumns, AuditValues(audit), cancellationToken).ConfigureAwait(false);
        }

        if (setAsDefault)
        {
            await SqliteConnections.WriteSettingAsync(connection, DefaultCertificate.Setting,
                certificate.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The certificate row, after its key's row when it has one.</summary>
    private static async Task InsertCertificateAsync(SqliteConnection connection, CertificateRecord certificate, CancellationToken cancellationToken)
    {
        if (certificate.PrivateKey is { } key)
        {
            key.Id = await InsertAsync(connection, "PrivateKeys", PrivateKeyColumns, KeyValues(key), cancellationToken).ConfigureAwait(false);
            certificate.PrivateKeyId = key.Id;
        }

        certificate.Id = await InsertAsync(connection, "Certificates", CertificateColumns, CertificateValues(certificate), cancellationToken)
            .ConfigureAwait(false);
    }

    private static async Task<AuthorityRecord?> ReadAuthorityAsync(DataDirectory data, int authorityId, CancellationToken cancellationToken)
    {
        var connection = await SqliteConnections.OpenAsync(data, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "SELECT a.\"Id\", a.\"CreatedAt\", c.\"Id\", " + string.Join(", ", CertificateColumns.Select(c => "c.\"" + c + "\""))
                    + ", k.\"Id\", " + string.Join(", ", PrivateKeyColumns.Select(c => "k.\"" + c + "\""))
                    + " FROM \"Authorities\" AS a JOIN \"Certificates\" AS c ON c.\"Id\" = a.\"CertificateId\""
                    + " LEFT JOIN \"PrivateKeys\" AS k ON k.\"Id\" = c.\"PrivateKeyId\" WHERE a.\"Id\" = $id";
                command.Parameters.AddWithValue("$id", authorityId);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return null;
                    }

                    var certificate = ReadCertificate(reader, 2);
                    var keyAt = 3 + CertificateColumns.Length;
                    if (!reader.IsDBNull(keyAt))
                    {
                        certificate.PrivateKey = new PrivateKeyRecord
                        {
                            Id = reader.GetInt32(keyAt),
                            Algorithm = reader.GetString(keyAt + 1),
                            PublicKeySha256 = reader.GetString(keyAt + 2),
                            EncryptedPkcs8 = (byte[])reader.GetValue(keyAt + 3),
                            CreatedAt = Ticks(reader.GetInt64(keyAt + 4)),
                        };
                    }

                    return new AuthorityRecord
                    {
                        Id = reader.GetInt32(0),
                        CertificateId = certificate.Id,
                        Certificate = certificate,
                        CreatedAt = Ticks(reader.GetInt64(1)),
                    };
                }
            }
        }
    }

    /// <summary>A whole certificate row from column <paramref name="at"/> on: its id, then <see cref="CertificateColumns"/> in order.</summary>
    private static CertificateRecord ReadCertificate(SqliteDataReader reader, int at) => new()
    {
        Id = reader.GetInt32(at),
        Description = reader.GetString(at + 1),
        Subject = reader.GetString(at + 2),
        CommonName = reader.IsDBNull(at + 3) ? null : reader.GetString(at + 3),
        AlternativeNames = reader.GetString(at + 4),
        Issuer = reader.GetString(at + 5),
        SerialNumber = reader.GetString(at + 6),
        NotBefore = Ticks(reader.GetInt64(at + 7)),
        NotAfter = Ticks(reader.GetInt64(at + 8)),
        KeyDescription = reader.GetString(at + 9),
        Sha256Fingerprint = reader.GetString(at + 10),
        Source = Enum.Parse<CertificateSource>(reader.GetString(at + 11)),
        IsCertificateAuthority = reader.GetBoolean(at + 12),
        Der = (byte[])reader.GetValue(at + 13),
        ChainPem = reader.GetString(at + 14),
        PrivateKeyId = reader.IsDBNull(at + 15) ? null : reader.GetInt32(at + 15),
        IssuedByAuthorityId = reader.IsDBNull(at + 16) ? null : reader.GetInt32(at + 16),
        ReplacedById = reader.IsDBNull(at + 17) ? null : reader.GetInt32(at + 17),
        CreatedAt = Ticks(reader.GetInt64(at + 18)),
    };

    // The model stores every date as UTC ticks (PanelDbContext): the same conversion both ways.
    private static DateTimeOffset Ticks(long ticks) => new(ticks, TimeSpan.Zero);

    private static object?[] CertificateValues(CertificateRecord c) =>
    [
        c.Description, c.Subject, c.CommonName, c.AlternativeNames, c.Issuer, c.SerialNumber, c.NotBefore.UtcTicks, c.NotAfter.UtcTicks,
        c.KeyDescription, c.Sha256Fingerprint, c.Source.ToString(), c.IsCertificateAuthority, c.Der, c.ChainPem, c.PrivateKeyId,
        c.IssuedByAuthorityId, c.ReplacedById, c.CreatedAt.UtcTicks,
    ];

    private static object?[] KeyValues(PrivateKeyRecord k) => [k.Algorithm, k.PublicKeySha256, k.EncryptedPkcs8, k.CreatedAt.UtcTicks];

    private static object?[] AuditValues(AuditEventRecord a) => [a.At.UtcTicks, a.Actor, a.Action, a.CertificateId, a.Target, a.Outcome.ToString(), a.Detail];

    private static async Task<int> InsertAsync(SqliteConnection connection, string table, string[] columns, object?[] values,
        CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => "\"" + c + "\""))}) "
                + $"VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))}) RETURNING \"Id\"";
            for (var i = 0; i < columns.Length; i++)
            {
                command.Parameters.AddWithValue("$p" + i, values[i] ?? DBNull.Value);
            }

            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
