using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Trust;

/// <summary>
/// The CAs held in the data directory, read through the same services the CLI uses, over the storage the
/// host opened at start-up (one storage per process: one write gate, migrations applied once).
/// </summary>
public sealed class TrustCatalog(PanelStorage storage, TimeProvider time)
{
    public async Task<Result<IReadOnlyList<TrustedRoot>>> ListAsync(CancellationToken cancellationToken)
    {
        var inventory = new InventoryService(storage, time);
        var roots = new List<TrustedRoot>();
        foreach (var authority in await new AuthorityService(storage, time).ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var details = await inventory.GetAsync(authority.CertificateId, cancellationToken).ConfigureAwait(false);
            if (details.IsSuccess)
            {
                roots.Add(new TrustedRoot(authority.Id, details.Value.Certificate));
            }
        }

        return Result.Success<IReadOnlyList<TrustedRoot>>(roots);
    }

    /// <summary>
    /// The CA held here that signed <paramref name="leaf"/> (the certificate the listener serves), or null when no CA
    /// held here did: a root served as itself, or one from a chain shipped with it, counts too.
    /// </summary>
    public static TrustedRoot? SignerOf(IReadOnlyList<TrustedRoot> roots, Pki.Certificates.Certificate leaf)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(leaf);
        return roots.FirstOrDefault(r => r.Certificate.Sha256Fingerprint == leaf.Sha256Fingerprint)
            ?? roots.FirstOrDefault(r => leaf.IssuerText == r.Certificate.SubjectText && leaf.IsSignedBy(r.Certificate));
    }

    /// <summary>The CA with this id, or null when there is none (the endpoints answer 404).</summary>
    public async Task<Result<TrustedRoot?>> FindAsync(int authorityId, CancellationToken cancellationToken)
    {
        var roots = await ListAsync(cancellationToken).ConfigureAwait(false);
        return roots.IsSuccess
            ? Result.Success(roots.Value.FirstOrDefault(r => r.Id == authorityId))
            : Result.Failure<TrustedRoot?>(roots.Error!);
    }
}
