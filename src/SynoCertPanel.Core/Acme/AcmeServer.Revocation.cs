using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Acme;

public sealed partial class AcmeServer
{
    public const string RevokeAction = "acme.revoke";

    /// <summary>RFC 5280 §5.3.1 reason codes a client may give (6 certificateHold and 8 removeFromCRL are not for ACME).</summary>
    private static readonly HashSet<int> Reasons = [0, 1, 3, 4, 5, 9, 10];

    /// <summary>Revocation signed by the certificate's own key (RFC 8555 §7.6): whoever holds the key may revoke.</summary>
    private async Task<AcmeResponse> RevokeByKeyAsync(PanelDbContext db, AcmeRequestContext context, AcmeDirectoryRecord directory, AcmeJws request,
        CancellationToken cancellationToken)
    {
        var target = await RevocationTargetAsync(db, directory, request, cancellationToken).ConfigureAwait(false);
        if (!target.IsSuccess)
        {
            return target.Problem!;
        }

        var (record, reason) = target.Value;
        if (!request.Jwk!.Matches(Records.ToCertificate(record).SubjectPublicKeyInfo.Span))
        {
            return AcmeProblem.Unauthorized("The request is signed with a key that is neither the certificate's nor an account's that ordered it.");
        }

        return await RevokeAsync(db, context, record, reason, "acme:certificate-key", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revocation by an account that ordered the certificate.</summary>
    private async Task<AcmeResponse> RevokeByAccountAsync(PanelDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var target = await RevocationTargetAsync(db, caller.Directory, caller.Request, cancellationToken).ConfigureAwait(false);
        if (!target.IsSuccess)
        {
            return target.Problem!;
        }

        var (record, reason) = target.Value;
        var accountId = caller.Account.Id;
        var ordered = await db.AcmeOrders.AsNoTracking().AnyAsync(o => o.AccountId == accountId && o.CertificateId == record.Id, cancellationToken).ConfigureAwait(false);
        if (!ordered)
        {
            return AcmeProblem.Unauthorized("This account did not order that certificate. Revoke it with the certificate's own key, or on the panel.");
        }

        return await RevokeAsync(db, caller.Context, record, reason, Actor(accountId), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<AcmeOutcome<(CertificateRecord Record, int Reason)>> RevocationTargetAsync(PanelDbContext db, AcmeDirectoryRecord directory,
        AcmeJws request, CancellationToken cancellationToken)
    {
        var payload = request.ReadPayload();
        if (!payload.IsSuccess)
        {
            return payload.Problem!;
        }

        using var document = payload.Value;
        var root = document.RootElement;
        var text = root.TryGetProperty("certificate", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        if (!AcmeBase64.TryDecode(text, out var der) || der.Length == 0)
        {
            return AcmeProblem.Malformed("revokeCert needs \"certificate\": the DER certificate in base64url without padding.");
        }

        var reason = 0;
        if (root.TryGetProperty("reason", out var r) && (r.ValueKind != JsonValueKind.Number || !r.TryGetInt32(out reason) || !Reasons.Contains(reason)))
        {
            return AcmeProblem.BadRevocationReason("\"reason\" must be an RFC 5280 reason code: 0 unspecified, 1 keyCompromise, 3 affiliationChanged, 4 superseded, 5 cessationOfOperation, 9 privilegeWithdrawn or 10 aACompromise.");
        }

        var fingerprint = Convert.ToHexString(SHA256.HashData(der));
        var record = await db.Certificates.AsNoTracking()
            .SingleOrDefaultAsync(x => x.Sha256Fingerprint == fingerprint && x.IssuedByAuthorityId == directory.AuthorityId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return new AcmeProblem("about:blank", "That certificate was not issued by this directory's CA (or was deleted on the panel).", 404);
        }

        return (record, reason);
    }

    private async Task<AcmeResponse> RevokeAsync(PanelDbContext db, AcmeRequestContext context, CertificateRecord record, int reason, string actor,
        CancellationToken cancellationToken)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var authorityId = record.IssuedByAuthorityId!.Value;
            if (await db.Revocations.AnyAsync(x => x.AuthorityId == authorityId && x.SerialNumber == record.SerialNumber, cancellationToken).ConfigureAwait(false))
            {
                return AcmeProblem.AlreadyRevoked("That certificate is already revoked.");
            }

            var now = Now;
            db.Revocations.Add(new RevocationRecord
            {
                AuthorityId = authorityId,
                CertificateId = record.Id,
                SerialNumber = record.SerialNumber,
                RevokedAt = now,
                Reason = reason,
                Actor = actor,
            });
            AuditLog.Add(db, now, actor, RevokeAction, record.CommonName ?? record.Subject, AuditOutcome.Succeeded,
                $"serial {record.SerialNumber}, reason {reason}, from {context.ClientAddress}", record);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return new AcmeResponse(200, null);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}
