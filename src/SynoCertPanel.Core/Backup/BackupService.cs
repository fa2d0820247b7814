using System.Reflection;
using System.Security.Cryptography;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Backup;

/// <summary>A finished backup: the encrypted file's bytes and what it holds.</summary>
public sealed record CreatedBackup(byte[] Content, BackupManifest Manifest);

/// <summary>
/// Makes one encrypted file from the data directory while the panel keeps running: a consistent database
/// snapshot plus the key-encryption key, which together restore every private key on another machine.
/// </summary>
public sealed class BackupService(PanelStorage storage, TimeProvider time)
{
    public static string PanelVersion { get; } =
        typeof(BackupService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<Result<CreatedBackup>> CreateAsync(string passphrase, string actor, CancellationToken cancellationToken = default)
    {
        var target = Path.GetFileName(storage.Data.Path);
        var strong = Passphrases.Check(passphrase);
        if (!strong.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.CreateBackup, target, strong.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<CreatedBackup>(strong.Error!);
        }

        var database = await Task.Run(() => DatabaseSnapshot.Take(storage.Data), cancellationToken).ConfigureAwait(false);
        if (!database.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.CreateBackup, target, database.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<CreatedBackup>(database.Error!);
        }

        var keyFile = await File.ReadAllBytesAsync(storage.Data.KeyEncryptionKeyPath, cancellationToken).ConfigureAwait(false);
        try
        {
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                [DataDirectory.DatabaseFileName] = database.Value,
                [DataDirectory.KeyEncryptionKeyFileName] = keyFile,
            };
            var manifest = new BackupManifest(BackupManifest.CurrentFormatVersion, time.GetUtcNow(), PanelVersion,
                files.Select(f => BackupPackage.Describe(f.Key, f.Value)).ToList());
            var content = await Task.Run(() => SealPackage(manifest, files, passphrase), cancellationToken).ConfigureAwait(false);
            await RecordAsync(actor, target, manifest, cancellationToken).ConfigureAwait(false);
            return Result.Success(new CreatedBackup(content, manifest));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyFile);
        }
    }

    /// <summary>A backup refused before it started (the account password was wrong), audited like the other refusals.</summary>
    public Task RecordRefusalAsync(string actor, string reason, CancellationToken cancellationToken = default) =>
        Refusals.RecordAsync(storage, time, actor, AuditActions.CreateBackup, Path.GetFileName(storage.Data.Path), reason, cancellationToken);

    private static byte[] SealPackage(BackupManifest manifest, Dictionary<string, byte[]> files, string passphrase)
    {
        var package = BackupPackage.Pack(manifest, files);
        try
        {
            return BackupEnvelope.Seal(package, passphrase);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(package);
        }
    }

    private async Task RecordAsync(string actor, string target, BackupManifest manifest, CancellationToken cancellationToken)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var database = manifest.Files.Single(f => f.Name == DataDirectory.DatabaseFileName);
            AuditLog.Add(db, manifest.CreatedAt, actor, AuditActions.CreateBackup, target, AuditOutcome.Succeeded,
                $"database {database.Length} bytes, SHA-256 {database.Sha256}");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}
