using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;

namespace SynoCertPanel.Core.Acme;

/// <summary>A signed CRL as served: its DER bytes and when it stops being current.</summary>
public sealed record RevocationListFile(byte[] Der, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, long Number);

/// <summary>
/// The CRL of each CA with an ACME directory, served at <c>/acme/{ca}/crl</c>. One signed CRL per CA is kept in memory
/// and served as it is; it is signed again only when the CA's revocations change (seen from their count and newest
/// row, one indexed query per request) or when a day has passed, so a client fetching it often costs no signature and
/// what it holds never comes within six days of its nextUpdate.
/// </summary>
public sealed class AcmeRevocationLists(PanelStorage storage, TimeProvider time) : IDisposable
{
    /// <summary>nextUpdate − thisUpdate: a week, so a box that fetched the CRL keeps accepting it through a long weekend offline.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(7);

    /// <summary>How old a CRL may be before it is signed again even without a change.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<int, Entry> _signed = new();
    private readonly SemaphoreSlim _signing = new(1, 1);

    /// <summary>How many CRLs were signed since start (tests check that a request does not sign one).</summary>
    public int Signatures { get; private set; }

    /// <summary>The current CRL of CA <paramref name="authorityId"/>, or why there is none.</summary>
    public async Task<AcmeOutcome<RevocationListFile>> GetAsync(int authorityId, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        if (!await db.AcmeDirectories.AsNoTracking().AnyAsync(d => d.AuthorityId == authorityId, cancellationToken).ConfigureAwait(false))
        {
            return new AcmeProblem("about:blank", $"CA {authorityId} has no ACME directory here, so no CRL is served for it.", 404);
        }

        var state = await StateAsync(db, authorityId, cancellationToken).ConfigureAwait(false);
        if (Current(authorityId, state) is { } current)
        {
            return current;
        }

        await _signing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current(authorityId, state) is { } signedMeanwhile)
            {
                return signedMeanwhile;
            }

            var loaded = await IssuanceRows.LoadAuthorityAsync(storage.Data, storage.Protector, authorityId, cancellationToken).ConfigureAwait(false);
            if (!loaded.IsSuccess)
            {
                return AcmeProblem.ServerInternal($"The CRL cannot be signed: {loaded.Error}");
            }

            var revoked = await db.Revocations.AsNoTracking().Where(r => r.AuthorityId == authorityId).OrderBy(r => r.Id)
                .Select(r => new { r.Id, r.SerialNumber, r.RevokedAt, r.Reason }).ToListAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var thisUpdate = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            // RFC 5280 §5.2.3: CRL numbers only grow. Seconds since 1970 grow across restarts without storing a counter; two
            // CRLs signed within one second still get different numbers.
            var previous = _signed.TryGetValue(authorityId, out var last) ? last.File.Number : 0;
            var number = Math.Max(thisUpdate.ToUnixTimeSeconds(), previous + 1);
            var der = RevocationList.Build(loaded.Value.Authority, revoked.Select(r => new RevokedEntry(r.SerialNumber, r.RevokedAt, r.Reason)),
                thisUpdate, thisUpdate + Validity, number);
            var file = new RevocationListFile(der, thisUpdate, thisUpdate + Validity, number);
            _signed[authorityId] = new Entry(file, new State(revoked.Count, revoked.Count == 0 ? 0 : revoked[^1].Id));
            Signatures++;
            return file;
        }
        finally
        {
            _signing.Release();
        }
    }

    public void Dispose() => _signing.Dispose();

    private RevocationListFile? Current(int authorityId, State state) =>
        _signed.TryGetValue(authorityId, out var entry) && entry.State == state && time.GetUtcNow() < entry.File.ThisUpdate + Refresh ? entry.File : null;

    private static async Task<State> StateAsync(PanelDbContext db, int authorityId, CancellationToken cancellationToken)
    {
        var rows = db.Revocations.AsNoTracking().Where(r => r.AuthorityId == authorityId);
        var count = await rows.CountAsync(cancellationToken).ConfigureAwait(false);
        var newest = count == 0 ? 0 : await rows.MaxAsync(r => r.Id, cancellationToken).ConfigureAwait(false);
        return new State(count, newest);
    }

    private sealed record State(int Count, int NewestId);

    private sealed record Entry(RevocationListFile File, State State);
}
