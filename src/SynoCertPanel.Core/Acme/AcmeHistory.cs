using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Acme;

/// <summary>Where a certificate issued through ACME came from: the directory's CA, the account and the order.</summary>
public sealed record AcmeCertificateOrigin(int CertificateId, int AuthorityId, string AuthorityName, int AccountId, string? AccountContact, int OrderId)
{
    /// <summary>The account as a person knows it: its first contact without "mailto:", else its number.</summary>
    public string Account => AccountContact is { Length: > 0 } contact
        ? (contact.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? contact["mailto:".Length..] : contact)
        : "#" + AccountId.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Why one challenge of an order failed, from the problem the validation stored.</summary>
public sealed record AcmeValidationFailure(string Identifier, string ChallengeType, string Reason);

/// <summary>A certificate a CA held here revoked, as its ACME page lists it.</summary>
public sealed record AcmeRevocation(string SerialNumber, int? CertificateId, string? Subject, int Reason, DateTimeOffset RevokedAt, string Actor)
{
    /// <summary>The RFC 5280 §5.3.1 name of the reason code.</summary>
    public string ReasonName => Reason switch
    {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => "code " + Reason.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Reads over what the ACME server stored, for the pages: the order behind an issued certificate, the reasons
/// validations failed, and the revocations of a CA. Only database columns are read, nothing is parsed as a certificate.
/// </summary>
public sealed class AcmeHistory(PanelStorage storage)
{
    /// <summary>The ACME origin of each of <paramref name="certificateIds"/> that was issued through a directory here.</summary>
    public async Task<IReadOnlyDictionary<int, AcmeCertificateOrigin>> OriginsAsync(IReadOnlyCollection<int> certificateIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificateIds);
        if (certificateIds.Count == 0)
        {
            return new Dictionary<int, AcmeCertificateOrigin>();
        }

        await using var db = storage.CreateContext();
        var rows = await (from order in db.AcmeOrders.AsNoTracking()
                          where order.CertificateId != null && certificateIds.Contains(order.CertificateId.Value)
                          join account in db.AcmeAccounts.AsNoTracking() on order.AccountId equals account.Id
                          join directory in db.AcmeDirectories.AsNoTracking() on order.DirectoryId equals directory.Id
                          join authority in db.Authorities.AsNoTracking() on directory.AuthorityId equals authority.Id
                          select new
                          {
                              CertificateId = order.CertificateId!.Value,
                              directory.AuthorityId,
                              Name = authority.Certificate.CommonName ?? authority.Certificate.Subject,
                              AccountId = account.Id,
                              account.Contact,
                              OrderId = order.Id,
                          }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var origins = new Dictionary<int, AcmeCertificateOrigin>();
        foreach (var row in rows)
        {
            origins[row.CertificateId] = new AcmeCertificateOrigin(row.CertificateId, row.AuthorityId, row.Name, row.AccountId,
                AcmePolicy.Lines(row.Contact) is [var first, ..] ? first : null, row.OrderId);
        }

        return origins;
    }

    /// <summary>The failed validations of each of <paramref name="orderIds"/>, with the sentence each stored problem holds.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<AcmeValidationFailure>>> FailuresAsync(IReadOnlyCollection<int> orderIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        await using var db = storage.CreateContext();
        var rows = await (from authorization in db.AcmeAuthorizations.AsNoTracking()
                          where orderIds.Contains(authorization.OrderId)
                          join challenge in db.AcmeChallenges.AsNoTracking() on authorization.Id equals challenge.AuthorizationId
                          where challenge.Status == AcmeStatus.Invalid && challenge.Error != null
                          orderby challenge.Id
                          select new { authorization.OrderId, authorization.Value, authorization.Wildcard, Challenge = challenge.Type, challenge.Error })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(r => r.OrderId).ToDictionary(g => g.Key, g => (IReadOnlyList<AcmeValidationFailure>)g
            .Select(r => new AcmeValidationFailure((r.Wildcard ? "*." : "") + r.Value, r.Challenge,
                AcmeProblems.DetailOf(r.Error) ?? "The validation failed without a stated reason."))
            .ToList());
    }

    /// <summary>The certificates the CA revoked, newest first.</summary>
    public async Task<IReadOnlyList<AcmeRevocation>> RevocationsAsync(int authorityId, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var rows = await (from revocation in db.Revocations.AsNoTracking()
                          where revocation.AuthorityId == authorityId
                          join certificate in db.Certificates.AsNoTracking() on revocation.CertificateId equals certificate.Id into found
                          from certificate in found.DefaultIfEmpty()
                          select new { revocation, Subject = certificate == null ? null : certificate.Subject })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.OrderByDescending(r => r.revocation.RevokedAt).ThenByDescending(r => r.revocation.Id)
            .Select(r => new AcmeRevocation(r.revocation.SerialNumber, r.revocation.CertificateId, r.Subject, r.revocation.Reason,
                r.revocation.RevokedAt, r.revocation.Actor))
            .ToList();
    }
}
