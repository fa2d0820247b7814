using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Inventory;

/// <summary>A CA held here that a certificate's key signs for, as the Edit dialog lists it.</summary>
/// <param name="Id">The authority's id (Authorities page, `ca list`).</param>
/// <param name="Name">Its common name, the name typed for it.</param>
/// <param name="IssuedCount">Certificates here that it signed.</param>
public sealed record AuthorityUse(int Id, string Name, int IssuedCount);

/// <summary>
/// What uses a certificate, as Synology DSM's "Edit" shows it beside the description: the panel's own HTTPS listener
/// when it is the default, the boxes it was deployed to or seen served on, and when it is a CA held here the authority
/// issuing with its key, plus the intermediate CAs it signed (which keep issuing under it).
/// </summary>
/// <param name="CertificateId">The certificate it is about.</param>
/// <param name="Description">Its description now.</param>
/// <param name="ServedByPanel">The panel's HTTPS listener serves it (it is the default).</param>
/// <param name="Authority">The CA held here whose certificate this is, else null.</param>
/// <param name="Intermediates">The intermediate CAs held here that this CA signed.</param>
/// <param name="ReplacedById">The certificate that took its place, if any.</param>
/// <param name="Boxes">The boxes its last successful deploy went to, or whose last probe saw it served.</param>
public sealed record CertificateUsage(int CertificateId, string Description, bool ServedByPanel, AuthorityUse? Authority,
    IReadOnlyList<AuthorityUse> Intermediates, int? ReplacedById, IReadOnlyList<BoxUse> Boxes)
{
    /// <summary>Nothing here uses it: the dialog says so rather than showing an empty list.</summary>
    public bool Unused => !ServedByPanel && Authority is null && Intermediates.Count == 0 && Boxes.Count == 0;

    internal static async Task<CertificateUsage> FindAsync(PanelDbContext db, CertificateRecord record, CancellationToken cancellationToken)
    {
        var served = await DefaultCertificate.GetAsync(db, cancellationToken).ConfigureAwait(false) == record.Id;
        var authority = await db.Authorities.AsNoTracking().Where(a => a.CertificateId == record.Id)
            .Select(a => new AuthorityUse(a.Id, a.Certificate.CommonName ?? a.Certificate.Subject,
                db.Certificates.Count(c => c.IssuedByAuthorityId == a.Id)))
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AuthorityUse> intermediates = authority is null ? []
            : await db.Authorities.AsNoTracking().Where(a => a.Certificate.IssuedByAuthorityId == authority.Id && a.Id != authority.Id)
                .OrderBy(a => a.Id)
                .Select(a => new AuthorityUse(a.Id, a.Certificate.CommonName ?? a.Certificate.Subject, db.Certificates.Count(c => c.IssuedByAuthorityId == a.Id)))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        var boxes = await BoxUse.FindAsync(db, record, cancellationToken).ConfigureAwait(false);
        return new CertificateUsage(record.Id, record.Description, served, authority, intermediates, record.ReplacedById, boxes);
    }
}
