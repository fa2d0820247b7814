using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Lint;

namespace SynoCertPanel.Core.Inventory;

/// <summary>The files of one import: separate key/certificate/chain files, or one PKCS#12, PKCS#7 or archive.zip.</summary>
public sealed record ImportRequest
{
    public required IReadOnlyList<BundleFile> Files { get; init; }

    /// <summary>Opens a PKCS#12 file or an encrypted key; null when none was given.</summary>
    public string? Password { get; init; }

    /// <summary>Empty means the certificate's common name.</summary>
    public string Description { get; init; } = string.Empty;
}

/// <summary>
/// What an import would bring in, for review before it is stored: the certificate, its issuers, the description it
/// would get, where its key would come from (<see cref="PendingRequestId"/> when a pending request made here holds
/// it), whether a CA key came with it (Synology archive), and the compatibility lint.
/// </summary>
public sealed record ImportPreview(Certificate Leaf, IReadOnlyList<Certificate> Chain, string Description, ImportKeySource KeySource,
    int? PendingRequestId, bool BringsAuthorityKey, LintReport Lint);

/// <summary>Where an imported certificate's private key comes from, in the order the import looks.</summary>
public enum ImportKeySource
{
    /// <summary>A CSR made here is waiting for this certificate: its key is used and the request completed.</summary>
    PendingRequest,

    /// <summary>A certificate held here already has this key (a renewal signed elsewhere with the same key).</summary>
    HeldKey,

    /// <summary>The uploaded files carry the key.</summary>
    Files,
}

/// <summary>
/// An imported certificate. <see cref="CompletedRequestId"/> is the pending request whose key it took;
/// <see cref="AuthorityId"/> is set when the import brought a CA with its key, now held here.
/// </summary>
public sealed record ImportedCertificate(int CertificateId, int? AuthorityId, int? CompletedRequestId, LintReport Lint);

/// <summary>
/// "Import certificate": reads the upload, finds the key (in the files, a pending request made here, or a key
/// already held), refuses anything that could not be served, and stores it all in one transaction.
/// </summary>
public sealed class ImportService(PanelStorage storage, TimeProvider time)
{
    /// <summary>The largest container the engine reads (a PEM file); a real certificate file is a few KiB.</summary>
    public const int MaxFileBytes = PemReader.MaxInputBytes;

    /// <summary>
    /// Reads the files as <see cref="ImportAsync"/> does first, storing and auditing nothing: its refusal when they are not a
    /// certificate (with its key and chain) in a format the import takes, else null. A command line that uploads them to a
    /// remote panel checks them with it, so what cannot be imported is not sent.
    /// </summary>
    public static string? Unreadable(ImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ImportReader.Read(request.Files, request.Password).Error;
    }

    public async Task<ReadResult<ImportedCertificate>> ImportAsync(ImportRequest request, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = request.Files is [var file, ..] ? file.Name : "(no file)";
        var read = Check(request, out var leafName);
        if (!read.IsSuccess)
        {
            return await RefuseAsync(actor, leafName ?? target, read.Problem, read.Error!, cancellationToken).ConfigureAwait(false);
        }

        var (bundle, description) = read.Value;
        target = bundle.Leaf.Subject.CommonName ?? bundle.Leaf.SubjectText;
        var lint = CompatibilityLint.Check(bundle.Leaf, bundle.Chain, new LintOptions { Now = time.GetUtcNow() });
        var stored = await StoreAsync(bundle, description.Length > 0 ? description : target, target, actor, lint, cancellationToken).ConfigureAwait(false);
        return stored.IsSuccess
            ? ReadResult<ImportedCertificate>.Success(stored.Value, [.. read.Warnings, .. stored.Warnings, .. lint.Findings.Select(f => f.ToString())])
            : ReadResult<ImportedCertificate>.Failure(ReadProblem.Inconsistent, stored.Error!);
    }

    /// <summary>
    /// Everything <see cref="ImportAsync"/> checks, without storing or auditing anything: what the import would
    /// bring in, for a person to review before the real import. The answer is the same the import would give.
    /// </summary>
    public async Task<ReadResult<ImportPreview>> PreviewAsync(ImportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var read = Check(request, out _);
        if (!read.IsSuccess)
        {
            return read.FailAs<ImportPreview>();
        }

        var (bundle, description) = read.Value;
        var now = time.GetUtcNow();
        Result<ImportKeyLocation> located;
        await using (var db = storage.CreateContext())
        {
            located = await new ImportPlacement(db, storage.Protector, now).LocateKeyAsync(bundle, cancellationToken).ConfigureAwait(false);
        }

        if (!located.IsSuccess)
        {
            return ReadResult<ImportPreview>.Failure(ReadProblem.Inconsistent, located.Error!);
        }

        var lint = CompatibilityLint.Check(bundle.Leaf, bundle.Chain, new LintOptions { Now = now });
        var preview = new ImportPreview(bundle.Leaf, bundle.Chain, description.Length > 0 ? description : bundle.Leaf.Subject.CommonName ?? bundle.Leaf.SubjectText,
            located.Value.Source, located.Value.Pending?.Id, bundle.CaKey is not null, lint);
        return ReadResult<ImportPreview>.Success(preview, read.Warnings);
    }

    /// <summary>The checks before any storage: the description, the files, and that nothing in the chain has expired or would be refused by every client.</summary>
    /// <param name="request">The upload.</param>
    /// <param name="leafName">The certificate's name once the files were read (the audit's target), else null.</param>
    private ReadResult<CheckedUpload> Check(ImportRequest request, out string? leafName)
    {
        leafName = null;
        var description = Descriptions.Check(request.Description);
        if (!description.IsSuccess)
        {
            return ReadResult<CheckedUpload>.Failure(ReadProblem.Inconsistent, description.Error!);
        }

        var read = ImportReader.Read(request.Files, request.Password);
        if (!read.IsSuccess)
        {
            return read.FailAs<CheckedUpload>();
        }

        var bundle = read.Value;
        leafName = bundle.Leaf.Subject.CommonName ?? bundle.Leaf.SubjectText;
        return (Expired(bundle, time.GetUtcNow()) ?? UnprocessedCritical(bundle)) is { } refused
            ? ReadResult<CheckedUpload>.Failure(ReadProblem.Unsupported, refused)
            : ReadResult<CheckedUpload>.Success(new CheckedUpload(bundle, description.Value), read.Warnings);
    }

    private sealed record CheckedUpload(ImportBundle Bundle, string Description);

    private static string? Expired(ImportBundle bundle, DateTimeOffset now)
    {
        var stale = bundle.Chain.Prepend(bundle.Leaf).FirstOrDefault(c => c.NotAfter < now);
        if (stale is null)
        {
            return null;
        }

        var which = ReferenceEquals(stale, bundle.Leaf) ? "The certificate" : $"Its issuer \"{Display.Literal(stale.SubjectText)}\"";
        return $"{which} expired on {stale.NotAfter:yyyy-MM-dd}; clients refuse it. Renew it and import the new one.";
    }

    /// <summary>Every client must refuse a certificate with a critical extension it does not process, so it is not stored.</summary>
    private static string? UnprocessedCritical(ImportBundle bundle) => bundle.Chain.Prepend(bundle.Leaf)
        .Select(c => CriticalExtensions.Problem(c, ReferenceEquals(c, bundle.Leaf)
            ? "The certificate"
            : $"Its issuer \"{Display.Literal(c.SubjectText)}\""))
        .FirstOrDefault(problem => problem is not null);

    private async Task<Result<ImportedCertificate>> StoreAsync(ImportBundle bundle, string description, string target, string actor, LintReport lint,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var placed = await new ImportPlacement(db, storage.Protector, now).PlaceAsync(bundle, description, cancellationToken).ConfigureAwait(false);
            if (!placed.IsSuccess)
            {
                // Nothing of the import may stay: drop whatever was staged, keep only the refusal.
                db.ChangeTracker.Clear();
                AuditLog.Add(db, now, actor, AuditActions.Import, target, AuditOutcome.Refused, placed.Error!);
            }
            else
            {
                var findings = lint.Findings.Count == 0 ? "lint clean" : $"lint: {string.Join(", ", lint.Findings.Select(f => f.RuleId))}";
                AuditLog.Add(db, now, actor, AuditActions.Import, target, AuditOutcome.Succeeded,
                    $"{placed.Value.KeySource}; {findings}", placed.Value.Record);
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            if (placed is { IsSuccess: true, Value.RenewsCertificateId: { } renewed })
            {
                // The signed answer to a pending renewal takes the renewed certificate's place, as a renewal issued here does.
                await Replacement.TakePlaceAsync(db, renewed, placed.Value.Record.Id, moveDefault: true, target, actor, now, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return placed.Map(p => new ImportedCertificate(p.Record.Id, p.Authority?.Id, p.CompletedRequestId, lint));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    private async Task<ReadResult<ImportedCertificate>> RefuseAsync(string actor, string target, ReadProblem problem, string error,
        CancellationToken cancellationToken)
    {
        await Refusals.RecordAsync(storage, time, actor, AuditActions.Import, target, error, cancellationToken).ConfigureAwait(false);
        return ReadResult<ImportedCertificate>.Failure(problem, error);
    }
}
