using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Inventory;

/// <summary>What was made when no CA was named: a certificate, the CA it came from, and whether that CA is new.</summary>
public sealed record SoleAuthorityCertificate(int CertificateId, int AuthorityId, bool AuthorityCreated);

/// <summary>
/// Issues a server certificate from the one CA held here, or makes a root and its first certificate when there is
/// none. Scripts run `cert create` many at a time on a fresh data directory; whether a CA exists is decided inside
/// the write transaction, so they share one new root instead of making one each.
/// </summary>
public sealed class SoleAuthorityIssuer(PanelStorage storage, TimeProvider time)
{
    /// <summary>The lock file in the data directory that serialises making the first root.</summary>
    public const string FirstAuthorityLock = "synocertpanel.first-ca.lock";

    /// <summary><paramref name="whenNone"/> names the root to make when no CA is held; its server part is what is issued.</summary>
    public async Task<Result<SoleAuthorityCertificate>> IssueAsync(SelfSignedRequest whenNone, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(whenNone);
        var authorities = await AuthorityIdsAsync(cancellationToken).ConfigureAwait(false);
        if (authorities.Count == 0)
        {
            // One process at a time makes the first root; the others wait for their turn and then issue from it, instead of
            // each generating a root key (RSA-3072: up to a second of CPU) that the write would then throw away.
            var turn = await FileTurn.WaitAsync(Path.Combine(storage.Data.Path, FirstAuthorityLock), cancellationToken).ConfigureAwait(false);
            await using (turn.ConfigureAwait(false))
            {
                authorities = await AuthorityIdsAsync(cancellationToken).ConfigureAwait(false);
                if (authorities.Count == 0)
                {
                    var created = await new SelfSignedService(storage, time).CreateAsync(whenNone, onlyAsFirstAuthority: true, actor, cancellationToken)
                        .ConfigureAwait(false);
                    if (created is not null)
                    {
                        return created.Map(c => new SoleAuthorityCertificate(c.CertificateId, c.AuthorityId, AuthorityCreated: true));
                    }

                    // A CA was stored in between by a writer that does not take this turn (a page): issue from it like everyone after.
                    authorities = await AuthorityIdsAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (authorities.Count > 1)
        {
            // `cert create` is the one caller: the message names its option.
            return Result.Failure<SoleAuthorityCertificate>($"{authorities.Count} CAs are held here; choose one with --ca ({string.Join(", ", authorities)}).");
        }

        var authorityId = authorities[0];
        var issued = await new AuthorityService(storage, time).IssueAsync(authorityId, whenNone.Server, whenNone.Description, whenNone.SetAsDefault, actor,
            cancellationToken).ConfigureAwait(false);
        return issued.Map(id => new SoleAuthorityCertificate(id, authorityId, AuthorityCreated: false));
    }

    private Task<List<int>> AuthorityIdsAsync(CancellationToken cancellationToken) => IssuanceRows.AuthorityIdsAsync(storage.Data, cancellationToken);
}
