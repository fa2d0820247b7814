using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Security;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Listener;

/// <summary>
/// What the HTTPS listener reads from the data directory: which certificate is the default, that certificate
/// with its key, and a fresh self-signed default when there is none or it cannot be used.
/// </summary>
public sealed class ServedCertificateStore(PanelStorage storage, TimeProvider time)
{
    public const string SelfSignedDescription = "Self-signed panel certificate (created automatically)";

    public PanelStorage Storage => storage;

    /// <summary>The default certificate's id; one indexed read, cheap enough to poll.</summary>
    public Task<int?> GetDefaultIdAsync(CancellationToken cancellationToken = default) => DefaultCertificate.ReadAsync(storage.Data, cancellationToken);

    /// <summary>
    /// Loads a certificate with its key; refuses one whose key is not held here, does not decrypt, or does not match.
    /// One plain read of the two rows: the listener loads its certificate at every start, and an EF Core context would
    /// build its services, the model and a compiled query for this read alone, kept by the idle panel (bench/RESULTS.md).
    /// </summary>
    public async Task<Result<ServedCertificate>> LoadAsync(int certificateId, CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(storage.Data.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = """
                    SELECT c."Der", c."ChainPem", c."Subject", k."Id", k."Algorithm", k."PublicKeySha256", k."EncryptedPkcs8"
                    FROM "Certificates" AS c LEFT JOIN "PrivateKeys" AS k ON k."Id" = c."PrivateKeyId"
                    WHERE c."Id" = $id
                    """;
                command.Parameters.AddWithValue("$id", certificateId);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return Result.Failure<ServedCertificate>($"There is no certificate with id {certificateId}.");
                    }

                    var key = await reader.IsDBNullAsync(3, cancellationToken).ConfigureAwait(false)
                        ? null
                        : new SealedKey(reader.GetInt32(3), reader.GetString(4), reader.GetString(5), reader.GetFieldValue<byte[]>(6));
                    return Open(certificateId, reader.GetFieldValue<byte[]>(0), reader.GetString(1), reader.GetString(2), key, storage.Protector);
                }
            }
        }
    }

    /// <summary>A certificate row (with its key row loaded) as something to serve; refuses a key that is missing, does not decrypt, or does not match.</summary>
    internal static Result<ServedCertificate> Open(CertificateRecord record, KeyProtector protector) =>
        Open(record.Id, record.Der, record.ChainPem, record.Subject, record.PrivateKey is { } key ? SealedKey.Of(key) : null, protector);

    private static Result<ServedCertificate> Open(int id, byte[] der, string? chainPem, string subject, SealedKey? sealedKey, KeyProtector protector)
    {
        if (sealedKey is null)
        {
            return Result.Failure<ServedCertificate>($"Certificate {id} cannot be served: its private key is not held here.");
        }

        var key = Records.OpenStoredKey(protector, sealedKey);
        if (!key.IsSuccess)
        {
            return Result.Failure<ServedCertificate>($"Certificate {id} cannot be served: {key.Error}");
        }

        var leaf = CertificateParts.Read(der);
        if (!leaf.IsSuccess)
        {
            return Result.Failure<ServedCertificate>($"Certificate {id} cannot be served: {leaf.Error}");
        }

        return key.Value.MatchesPublicKey(leaf.Value.SubjectPublicKeyInfo.Span)
            ? Result.Success(new ServedCertificate(id, der, Records.ChainDer(chainPem), subject, key.Value))
            : Result.Failure<ServedCertificate>($"Certificate {id} cannot be served: the key stored with it does not match its public key.");
    }

    /// <summary>
    /// Creates a new root and a server certificate for <paramref name="names"/> and makes it the default: the panel's
    /// first certificate, and the way back in when the admin is locked out.
    /// </summary>
    public async Task<Result<ServedCertificate>> CreateSelfSignedDefaultAsync(IReadOnlyList<SubjectAlternativeName> names, string machineName,
        string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(machineName);
        var created = await new SelfSignedService(storage, time).CreateAsync(new SelfSignedRequest
        {
            // P-256: generated in well under a millisecond, so a first start is not held up (DOTNET-NOTES.md "Crypto speed").
            Root = new RootCaOptions
            {
                Subject = DistinguishedName.Create(BootstrapAuthority.CommonNameFor(machineName), BootstrapAuthority.Organization).Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            },
            Server = new LeafOptions
            {
                Subject = DistinguishedName.Create(null, "SynoCertPanel").Value,
                SubjectAlternativeNames = names,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            },
            Description = SelfSignedDescription,
            SetAsDefault = true,
        }, actor, cancellationToken).ConfigureAwait(false);
        return created.IsSuccess
            ? await LoadAsync(created.Value.CertificateId, cancellationToken).ConfigureAwait(false)
            : Result.Failure<ServedCertificate>(created.Error!);
    }

    /// <summary>An apply refused by the listener's own checks is audited like a refused set-default.</summary>
    public Task RecordRefusalAsync(int certificateId, string actor, string reason, CancellationToken cancellationToken = default) =>
        Refusals.RecordAsync(storage, time, actor, AuditActions.SetDefault, $"certificate {certificateId}", reason, cancellationToken);

    /// <summary>
    /// Puts back the default that was served before an apply whose handshake check failed. No checks: that
    /// certificate was being served a moment ago.
    /// </summary>
    public async Task RestoreDefaultAsync(int certificateId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            await DefaultCertificate.SetAsync(db, certificateId, cancellationToken).ConfigureAwait(false);
            AuditLog.Add(db, time.GetUtcNow(), actor, AuditActions.SetDefault, $"certificate {certificateId}", AuditOutcome.Succeeded,
                $"restored: {reason}", certificateId: certificateId);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}
