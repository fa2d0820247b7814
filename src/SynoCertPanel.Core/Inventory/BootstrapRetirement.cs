using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Listener;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// Retires the panel's start-up CA once the operator serves a certificate of their own: its start-up server
/// certificate and then the CA itself (key included) go through the ordinary delete, each audited, the CA with force.
/// </summary>
public sealed class BootstrapRetirement(PanelStorage storage, TimeProvider time)
{
    /// <summary>Why this CA cannot be retired now, or null when it can.</summary>
    public async Task<string?> RefusalAsync(int authorityId, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var authority = await db.Authorities.AsNoTracking().Include(a => a.Certificate)
            .SingleOrDefaultAsync(a => a.Id == authorityId, cancellationToken).ConfigureAwait(false);
        if (authority is null)
        {
            return $"There is no certificate authority with id {authorityId}.";
        }

        if (!BootstrapAuthority.Is(Records.ToCertificate(authority.Certificate)))
        {
            return "This is not the panel's start-up CA; delete it from the certificate list if you mean to.";
        }

        var defaultId = await DefaultCertificate.GetAsync(db, cancellationToken).ConfigureAwait(false);
        var served = defaultId is null ? null : await db.Certificates.AsNoTracking().Where(c => c.Id == defaultId)
            .Select(c => new { c.Id, c.IssuedByAuthorityId }).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        // Without a default the listener would make a new start-up CA at once; with one from this CA, the panel serves it.
        return served is null || served.Id == authority.CertificateId || served.IssuedByAuthorityId == authorityId
            ? "The panel still serves a certificate from this CA. Make one of your own certificates the default first; then it can go."
            : null;
    }

    public async Task<Result<int>> RetireAsync(int authorityId, string actor, CancellationToken cancellationToken = default)
    {
        if (await RefusalAsync(authorityId, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return Result.Failure<int>(refusal);
        }

        int rootId;
        List<int> startUp;
        await using (var db = storage.CreateContext())
        {
            rootId = await db.Authorities.Where(a => a.Id == authorityId).Select(a => a.CertificateId).SingleAsync(cancellationToken).ConfigureAwait(false);
            startUp = await db.Certificates.Where(c => c.IssuedByAuthorityId == authorityId && c.Description == ServedCertificateStore.SelfSignedDescription)
                .Select(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var inventory = new InventoryService(storage, time);
        foreach (var id in startUp)
        {
            var deleted = await inventory.DeleteAsync(id, force: false, actor, cancellationToken).ConfigureAwait(false);
            if (!deleted.IsSuccess)
            {
                return deleted;
            }
        }

        return await inventory.DeleteAsync(rootId, force: true, actor, cancellationToken).ConfigureAwait(false);
    }
}
