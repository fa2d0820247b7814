using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// What deleting a certificate would do, worked out before anyone confirms: the page says it in the dialog, and the
/// delete itself follows the same plan, so the dialog never promises what the delete then refuses.
/// </summary>
/// <param name="CertificateId">The certificate it is about.</param>
/// <param name="Description">The certificate's description, as the list shows it.</param>
/// <param name="Refusal">Why it cannot be deleted at all (the certificate the panel serves), else null.</param>
/// <param name="IsAuthority">It is a CA held here: its key signs no more certificates after the delete.</param>
/// <param name="LiveIssued">For a CA, the unexpired certificates here that it issued; deleting it then needs force.</param>
/// <param name="DeletesKey">Its private key goes with it (no other certificate or pending request uses the key).</param>
/// <param name="HasKey">A private key is held for it at all.</param>
/// <param name="Intermediates">For a root, the subjects of the intermediate CAs here that it signed; deleting it then needs force.</param>
/// <param name="Boxes">
/// The boxes that still use it (deployed there last, or seen served): deleting it here leaves them serving it, but the
/// panel then cannot put it back after a failed deploy, and their rows name "a certificate not held here".
/// </param>
public sealed record DeletionPlan(int CertificateId, string Description, string? Refusal, bool IsAuthority, int LiveIssued, bool DeletesKey, bool HasKey,
    IReadOnlyList<string> Intermediates, IReadOnlyList<BoxUse> Boxes)
{
    public const string ServedRefusal = "This is the certificate the panel serves; make another one the default first.";

    /// <summary>Deleting needs the admin to say "anyway" (the command line's --force).</summary>
    public bool NeedsForce => IsAuthority && (LiveIssued > 0 || Intermediates.Count > 0);

    /// <summary>The sentence a delete without force answers when <see cref="NeedsForce"/>.</summary>
    // An intermediate keeps the root's certificate in its own stored chain, so it goes on issuing full chains: deleting
    // the root is how it is kept offline. Only on purpose, though, because the root's key is then gone for good.
    public string ForceRefusal => Intermediates.Count > 0
        ? $"This CA signed the intermediate CA {string.Join(", ", Intermediates.Select(i => $"\"{Pki.Display.Literal(i, 80)}\""))}, "
            + "which keeps a copy of this certificate in its chain and goes on issuing without it. Export this certificate (clients must trust it) "
            + "and, if you may need to sign another intermediate, its key; then delete with force: its key is destroyed here."
        : $"This CA still has {LiveIssued} unexpired certificate(s) here; deleting it means they can never be renewed by it. "
            + "Delete with force to do it anyway.";

    internal static async Task<DeletionPlan> MakeAsync(PanelDbContext db, CertificateRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var served = await DefaultCertificate.GetAsync(db, cancellationToken).ConfigureAwait(false) == record.Id;
        var authority = await db.Authorities.AsNoTracking().Where(a => a.CertificateId == record.Id).Select(a => (int?)a.Id)
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var live = authority is { } authorityId
            ? await db.Certificates.CountAsync(c => c.IssuedByAuthorityId == authorityId && c.NotAfter > now, cancellationToken).ConfigureAwait(false)
            : 0;
        IReadOnlyList<string> intermediates = authority is { } rootId
            ? await db.Authorities.Where(a => a.Certificate.IssuedByAuthorityId == rootId && a.Id != rootId)
                .Select(a => a.Certificate.Subject).ToListAsync(cancellationToken).ConfigureAwait(false)
            : [];
        var deletesKey = record.PrivateKeyId is { } keyId
            && !await db.Certificates.AnyAsync(c => c.PrivateKeyId == keyId && c.Id != record.Id, cancellationToken).ConfigureAwait(false)
            && !await db.PendingRequests.AnyAsync(p => p.PrivateKeyId == keyId, cancellationToken).ConfigureAwait(false);
        var description = record.Description.Length > 0 ? record.Description : record.Subject;
        var boxes = await BoxUse.FindAsync(db, record, cancellationToken).ConfigureAwait(false);
        return new DeletionPlan(record.Id, description, served ? ServedRefusal : null, authority is not null, live, deletesKey, record.PrivateKeyId is not null,
            intermediates, boxes);
    }
}
