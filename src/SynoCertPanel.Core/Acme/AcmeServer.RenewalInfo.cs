using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Acme;

public sealed partial class AcmeServer
{
    /// <summary>How long a client waits before asking again (RFC 9773 §4.3 suggests hours; Let's Encrypt answers 6 h).</summary>
    public const int RenewalInfoRetryAfterSeconds = 6 * 3600;

    /// <summary>
    /// renewalInfo (RFC 9773 §4): when the certificate named by <paramref name="certificateId"/> should be renewed. The
    /// window is the same part of every lifetime, from two thirds to three quarters of the way (a 90-day certificate
    /// renews from day 60 to day 67, as certbot's and Let's Encrypt's one third left), so a box that misses it still has a
    /// quarter of the lifetime to retry; a revoked certificate's window is already open, so clients replace it at once.
    /// </summary>
    public async Task<AcmeResponse> RenewalInfoAsync(AcmeRequestContext context, string? certificateId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = storage.CreateContext();
        var directory = await EnabledDirectoryAsync(db, context.AuthorityId, cancellationToken).ConfigureAwait(false);
        if (!directory.IsSuccess)
        {
            return directory.Problem!;
        }

        var id = AcmeCertificateId.Parse(certificateId);
        if (!id.IsSuccess)
        {
            return id.Problem!;
        }

        var record = await IssuedAsync(db, context.AuthorityId, id.Value, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return new AcmeProblem("about:blank", "This CA issued no certificate with that ARI certificate id (or it was deleted on the panel).", 404);
        }

        var authorityId = context.AuthorityId;
        var serial = record.SerialNumber;
        var revoked = await db.Revocations.AsNoTracking().AnyAsync(r => r.AuthorityId == authorityId && r.SerialNumber == serial, cancellationToken)
            .ConfigureAwait(false);
        var (start, end) = RenewalWindow(record.NotBefore, record.NotAfter, revoked, Now);
        var window = new JsonObject { ["start"] = Timestamp(start), ["end"] = Timestamp(end) };
        return AcmeResponse.Ok(new JsonObject { ["suggestedWindow"] = window }) with { RetryAfterSeconds = RenewalInfoRetryAfterSeconds };
    }

    /// <summary>The suggested renewal window of a certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) RenewalWindow(DateTimeOffset notBefore, DateTimeOffset notAfter, bool revoked, DateTimeOffset now)
    {
        if (revoked)
        {
            // RFC 9773 §4.2: a window in the past tells the client to renew now.
            return (now.AddHours(-1), now);
        }

        var lifetime = notAfter - notBefore;
        return (notBefore + (lifetime * 2 / 3), notBefore + (lifetime * 3 / 4));
    }

    /// <summary>
    /// The "replaces" of a new order (RFC 9773 §5): a certificate this account ordered, sharing a name with the new order,
    /// not already replaced by another order that may still succeed. Answers its canonical certificate id.
    /// </summary>
    private static async Task<AcmeOutcome<string>> ReplacedAsync(PanelDbContext db, Caller caller, string text, IReadOnlyList<SubjectAlternativeName> identifiers,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = AcmeCertificateId.Parse(text);
        if (!id.IsSuccess)
        {
            return AcmeProblem.Malformed("\"replaces\" must be the ARI certificate id of the certificate this order renews: " + id.Problem!.Detail);
        }

        var record = await IssuedAsync(db, caller.Context.AuthorityId, id.Value, cancellationToken).ConfigureAwait(false);
        var accountId = caller.Account.Id;
        if (record is null || !await db.AcmeOrders.AsNoTracking().AnyAsync(o => o.AccountId == accountId && o.CertificateId == record.Id, cancellationToken).ConfigureAwait(false))
        {
            return AcmeProblem.Malformed("\"replaces\" names no certificate this account ordered here. Leave it out to order a new certificate.");
        }

        var names = Records.ToCertificate(record).SubjectAlternativeNames;
        if (!identifiers.Any(names.Contains))
        {
            return AcmeProblem.Malformed("The certificate in \"replaces\" shares no name with this order; a renewal keeps at least one of its names.");
        }

        var canonical = id.Value.ToString();
        var directoryId = caller.Directory.Id;
        var others = await db.AcmeOrders.AsNoTracking().Where(o => o.DirectoryId == directoryId && o.Replaces == canonical).ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        if (others.Any(o => AcmeOrders.StatusAt(o, now) != AcmeStatus.Invalid))
        {
            return AcmeProblem.AlreadyReplaced("That certificate is already being replaced by another order of this directory; finish or abandon that order first.");
        }

        return canonical;
    }

    /// <summary>The certificate this CA issued with <paramref name="id"/>'s serial, when its authority key identifier matches too.</summary>
    private static async Task<CertificateRecord?> IssuedAsync(PanelDbContext db, int authorityId, AcmeCertificateId id, CancellationToken cancellationToken)
    {
        var serial = id.SerialNumberHex;
        var candidates = await db.Certificates.AsNoTracking().Where(c => c.IssuedByAuthorityId == authorityId && c.SerialNumber == serial)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return candidates.FirstOrDefault(c => Records.ToCertificate(c).AuthorityKeyIdentifier is { } keyIdentifier && keyIdentifier.AsSpan().SequenceEqual(id.KeyIdentifier));
    }
}
