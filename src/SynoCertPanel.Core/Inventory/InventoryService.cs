using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Listener;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Lint;

namespace SynoCertPanel.Core.Inventory;

public enum CertificateSort
{
    Expiry,
    Description,
    CommonName,
    Issuer,
    Created,
}

public sealed record CertificateQuery
{
    public const int MaxPageSize = 500;

    public string? Search { get; init; }

    public CertificateSort Sort { get; init; } = CertificateSort.Expiry;

    public bool Descending { get; init; }

    public int Page { get; init; }

    public int PageSize { get; init; } = 50;

    /// <summary>Whether certificates another took the place of (by renewal) are listed too; by default one current row per identity.</summary>
    public bool IncludeReplaced { get; init; }
}

/// <summary>One row of the certificate list; never carries a key. <paramref name="ReplacedById"/>: the renewal that took its place.</summary>
public sealed record CertificateSummary(int Id, string Description, string? CommonName, IReadOnlyList<string> AlternativeNames,
    string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string KeyDescription, CertificateSource Source,
    bool IsDefault, bool IsCertificateAuthority, bool HasPrivateKey, int? ReplacedById = null);

public sealed record CertificatePage(IReadOnlyList<CertificateSummary> Items, int TotalCount);

/// <summary>The details panel: the parsed certificate and its chain, plus inventory facts.</summary>
public sealed record CertificateDetails(CertificateSummary Summary, Certificate Certificate, IReadOnlyList<Certificate> Chain, int? AuthorityId)
{
    /// <summary>
    /// The one compatibility verdict of this certificate, the same on every screen: a CA held here is judged as a CA;
    /// anything else as the lint judges it at import, so a self-signed `openssl req -x509` certificate (CA:TRUE, with
    /// its host names) is judged as the server certificate it will be used as.
    /// </summary>
    public LintReport Lint(DateTimeOffset now) => AuthorityId is null
        ? CompatibilityLint.Check(Certificate, Chain, new LintOptions { Now = now })
        : CompatibilityLint.CheckAuthority(Certificate, Chain, new LintOptions { Now = now });
}

/// <summary>List, details, set default, describe, delete.</summary>
public sealed class InventoryService(PanelStorage storage, TimeProvider time)
{
    public async Task<CertificatePage> ListAsync(CertificateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var size = Math.Clamp(query.PageSize, 1, CertificateQuery.MaxPageSize);
        return await ListRangeAsync(query, Math.Max(0, query.Page) * size, size, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The rows from <paramref name="offset"/> on, at most <paramref name="limit"/> of them (null: all the rest), in the
    /// query's search and order; its page fields are not used. For scripts, which must never miss rows silently.
    /// </summary>
    public async Task<CertificatePage> ListRangeAsync(CertificateQuery query, int offset, int? limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (limit is { } given)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(given);
        }

        return await CertificateListPaging.ReadAsync(storage.Data, query, offset, limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<CertificateDetails>> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var record = await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Result.Failure<CertificateDetails>($"There is no certificate with id {id}.");
        }

        var defaultId = await DefaultCertificate.GetAsync(db, cancellationToken).ConfigureAwait(false);
        var authorityId = await db.Authorities.Where(a => a.CertificateId == id).Select(a => (int?)a.Id).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success(new CertificateDetails(ToSummary(record, defaultId), Records.ToCertificate(record), Records.ChainOf(record), authorityId));
    }

    /// <summary>What uses the certificate (the panel's listener, the CA it is, the intermediates it signed), for "Edit".</summary>
    public async Task<Result<CertificateUsage>> FindUsageAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var record = await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false);
        return record is null
            ? Result.Failure<CertificateUsage>($"There is no certificate with id {id}.")
            : Result.Success(await CertificateUsage.FindAsync(db, record, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// "Edit": a new description, by the rules every wizard uses (<see cref="Descriptions"/>), and not empty: it is the
    /// name the list and the audit log show. The refusal is audited with the change it refused, in the same write.
    /// </summary>
    public Task<Result<int>> DescribeAsync(int id, string? description, string actor, CancellationToken cancellationToken = default)
    {
        var text = Descriptions.Check(description).Bind(t => t.Length > 0 ? Result.Success(t)
            : Result.Failure<string>("The description is empty; type the name the list should show."));
        return WriteAsync(id, actor, AuditActions.Describe, async (db, record) =>
        {
            await Task.CompletedTask.ConfigureAwait(false);
            if (!text.IsSuccess)
            {
                return Result.Failure<int>(text.Error!);
            }

            record.Description = text.Value;
            return Result.Success(id);
        }, cancellationToken, successDetail: r => $"now \"{r.Description}\"");
    }

    /// <summary>
    /// Makes a certificate the one the panel serves, after the checks of <see cref="ApplyPreflight"/> that need no
    /// listener: its key is held here and matches, it is valid now, it may be used for serverAuth, its chain builds
    /// and no client would reject it.
    /// </summary>
    public Task<Result<int>> SetDefaultAsync(int id, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(id, actor, AuditActions.SetDefault, async (db, record) =>
        {
            await db.Entry(record).Reference(r => r.PrivateKey).LoadAsync(cancellationToken).ConfigureAwait(false);
            var ready = ServedCertificateStore.Open(record, storage.Protector)
                .Bind(served => ApplyPreflight.Check(served, adminHost: null, confirmed: false, time.GetUtcNow()));
            if (!ready.IsSuccess)
            {
                return Result.Failure<int>(ready.Error!);
            }

            await DefaultCertificate.SetAsync(db, id, cancellationToken).ConfigureAwait(false);
            return Result.Success(id, ready.Warnings);
        }, cancellationToken);

    /// <summary>
    /// "Replace an existing certificate": <paramref name="newId"/> (just imported or created) takes <paramref name="oldId"/>'s
    /// place as a renewal does (<see cref="Replacement"/>). With <paramref name="moveDefault"/> the default moves here when
    /// the old one was it; a page with a live listener passes false and applies the new one through its pre-flight.
    /// </summary>
    public async Task<Result<ReplacedCertificate>> ReplaceAsync(int oldId, int newId, bool moveDefault, string actor,
        CancellationToken cancellationToken = default)
    {
        var wasDefault = false;
        var replaced = await WriteAsync(oldId, actor, AuditActions.Replace, async (db, old) =>
        {
            var replacement = await db.Certificates.SingleOrDefaultAsync(c => c.Id == newId, cancellationToken).ConfigureAwait(false);
            var problem = replacement is null ? $"There is no certificate with id {newId}."
                : await Replacement.ProblemAsync(db, old, replacement, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return Result.Failure<int>(problem);
            }

            var target = old.Description.Length > 0 ? old.Description : old.Subject;
            wasDefault = await Replacement.TakePlaceAsync(db, oldId, newId, moveDefault, target, actor, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return Result.Success(oldId);
        }, cancellationToken, successDetail: _ => $"replaced by certificate {newId}").ConfigureAwait(false);
        return replaced.Map(_ => new ReplacedCertificate(oldId, newId, wasDefault));
    }

    /// <summary>What <see cref="DeleteAsync"/> would do to this certificate, for the admin to read before confirming.</summary>
    public async Task<Result<DeletionPlan>> PlanDeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var record = await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false);
        return record is null
            ? Result.Failure<DeletionPlan>($"There is no certificate with id {id}.")
            : Result.Success(await DeletionPlan.MakeAsync(db, record, time.GetUtcNow(), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Deletes a certificate (and its key, when nothing else uses it), as <see cref="PlanDeleteAsync"/> said. Refuses
    /// the default certificate, and a CA that still has unexpired certificates in the inventory unless <paramref name="force"/>.
    /// </summary>
    public Task<Result<int>> DeleteAsync(int id, bool force, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(id, actor, AuditActions.Delete, async (db, record) =>
        {
            var plan = await DeletionPlan.MakeAsync(db, record, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (plan.Refusal is not null || (plan.NeedsForce && !force))
            {
                return Result.Failure<int>(plan.Refusal ?? plan.ForceRefusal);
            }

            if (plan.IsAuthority)
            {
                db.Authorities.Remove(await db.Authorities.SingleAsync(a => a.CertificateId == id, cancellationToken).ConfigureAwait(false));
            }

            db.Certificates.Remove(record);
            // The certificate this one replaced is current again (the column has no foreign key to do it).
            foreach (var replaced in await db.Certificates.Where(c => c.ReplacedById == id).ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                replaced.ReplacedById = null;
            }

            if (plan.DeletesKey)
            {
                db.PrivateKeys.Remove(await db.PrivateKeys.SingleAsync(k => k.Id == record.PrivateKeyId, cancellationToken).ConfigureAwait(false));
            }

            return Result.Success(id);
        }, cancellationToken);

    /// <summary>
    /// One audited change of a certificate; <paramref name="successDetail"/> is what the audit row adds on success (its target
    /// is the certificate's name before the change).
    /// </summary>
    private async Task<Result<int>> WriteAsync(int id, string actor, string action, Func<PanelDbContext, CertificateRecord, Task<Result<int>>> change,
        CancellationToken cancellationToken, Func<CertificateRecord, string>? successDetail = null)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var record = await db.Certificates.SingleOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                return Result.Failure<int>($"There is no certificate with id {id}.");
            }

            var target = record.Description.Length > 0 ? record.Description : record.Subject;
            var result = await change(db, record).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                db.ChangeTracker.Clear();
            }

            var detail = result.Error ?? successDetail?.Invoke(record) ?? string.Empty;
            AuditLog.Add(db, now, actor, action, target, result.IsSuccess ? AuditOutcome.Succeeded : AuditOutcome.Refused, detail, certificateId: id);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    private static CertificateSummary ToSummary(CertificateRecord c, int? defaultId) => new(c.Id, c.Description, c.CommonName,
        SplitNames(c.AlternativeNames), c.Issuer, c.NotBefore, c.NotAfter, c.KeyDescription, c.Source, c.Id == defaultId,
        c.IsCertificateAuthority, c.PrivateKeyId is not null, c.ReplacedById);

    private static string[] SplitNames(string names) => names.Length == 0 ? [] : names.Split('\n');
}
