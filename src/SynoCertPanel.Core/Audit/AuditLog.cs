using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Audit;

/// <summary>Names of the audited operations, stable because filters and exports rely on them.</summary>
public static class AuditActions
{
    public const string CreateSelfSigned = "certificate.create-self-signed";
    public const string CreateAuthority = "authority.create";
    public const string IssueCertificate = "certificate.issue";
    public const string CreateRequest = "request.create";
    public const string SignRequest = "request.sign";
    public const string CancelRequest = "request.cancel";
    public const string SetDefault = "certificate.set-default";
    public const string Delete = "certificate.delete";
    public const string Describe = "certificate.describe";
    public const string Renew = "certificate.renew";
    public const string Replace = "certificate.replace";
    public const string Import = "certificate.import";
    public const string Export = "certificate.export";

    /// <summary>An export that carried a private key: kept apart so a review can list every key that left the panel.</summary>
    public const string ExportKey = "certificate.export-key";
    public const string ExportRequest = "request.export";
    public const string CreateBackup = "backup.create";
    public const string RestoreBackup = "backup.restore";
    public const string ResetPassword = "account.reset-password";
    public const string CreateToken = "token.create";
    public const string RevokeToken = "token.revoke";
    public const string AddBox = "box.add";
    public const string UpdateBox = "box.update";
    public const string EnableBox = "box.enable";
    public const string DisableBox = "box.disable";
    public const string DeleteBox = "box.delete";
    public const string DeployBox = "box.deploy";
    public const string TestBox = "box.test";
    public const string AddAlertChannel = "alert.add";
    public const string UpdateAlertChannel = "alert.update";
    public const string EnableAlertChannel = "alert.enable";
    public const string DisableAlertChannel = "alert.disable";
    public const string DeleteAlertChannel = "alert.delete";
    public const string TestAlertChannel = "alert.test";
}

/// <summary>Adds audit events to the same unit of work as the change they describe.</summary>
public static class AuditLog
{
    public const int MaxDetailLength = 2000;

    /// <summary>One event as it is stored: target and detail made printable and cut to their column's length.</summary>
    public static AuditEventRecord Event(DateTimeOffset at, string actor, string action, string target, AuditOutcome outcome, string detail = "",
        int? certificateId = null) => new()
        {
            At = at,
            Actor = actor,
            Action = action,
            Target = Pki.Display.Literal(target, 300),
            Outcome = outcome,
            Detail = Pki.Display.Literal(detail, MaxDetailLength),
            CertificateId = certificateId,
        };

    public static void Add(PanelDbContext db, DateTimeOffset at, string actor, string action, string target, AuditOutcome outcome,
        string detail = "", CertificateRecord? certificate = null, int? certificateId = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var record = Event(at, actor, action, target, outcome, detail, certificateId ?? certificate?.Id);
        db.AuditEvents.Add(record);
        if (certificate is not null && certificate.Id == 0)
        {
            // The certificate is inserted by the same SaveChanges, so its id is known only afterwards: write it
            // onto the event at once, in the same transaction, so filtering the log by certificate finds it.
            void Link(object? sender, SavedChangesEventArgs e)
            {
                db.SavedChanges -= Link;
                if (certificate.Id == 0 || record.Id == 0)
                {
                    return;
                }

                db.Database.ExecuteSql($"UPDATE AuditEvents SET CertificateId = {certificate.Id} WHERE Id = {record.Id}");
                var property = db.Entry(record).Property(r => r.CertificateId);
                property.CurrentValue = certificate.Id;
                property.OriginalValue = certificate.Id;
            }

            db.SavedChanges += Link;
        }
    }
}
