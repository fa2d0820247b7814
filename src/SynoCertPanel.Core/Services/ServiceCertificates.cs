using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Services;

/// <summary>
/// Which certificates may serve a service: a server certificate (not a CA), its key held here, valid now. One rule for the
/// Services page's drop-down, `service set` and a box deploy of a chosen certificate.
/// </summary>
internal static class ServiceCertificates
{
    /// <summary>Why the certificate cannot be put on a service, as a sentence; null when it can.</summary>
    public static string? WhyNot(CertificateRecord record, DateTimeOffset now) => record switch
    {
        { IsCertificateAuthority: true } => string.Create(CultureInfo.InvariantCulture,
            $"Certificate {record.Id} is a CA certificate; a service serves a server certificate, such as one this CA issued."),
        { PrivateKeyId: null } => string.Create(CultureInfo.InvariantCulture,
            $"Certificate {record.Id} has no private key held here, so it cannot be put on a service; import it with its key first."),
        _ when record.NotAfter <= now => string.Create(CultureInfo.InvariantCulture,
            $"Certificate {record.Id} expired on {record.NotAfter.UtcDateTime:yyyy-MM-dd HH:mm} UTC; choose a valid one, or renew it first."),
        _ when record.NotBefore > now => string.Create(CultureInfo.InvariantCulture,
            $"Certificate {record.Id} is not valid before {record.NotBefore.UtcDateTime:yyyy-MM-dd HH:mm} UTC; choose one that is valid now."),
        _ => null,
    };

    /// <summary>The certificate when it may serve a service; else the sentence saying why not (an unknown id included).</summary>
    public static async Task<Pki.Result<HeldCertificate>> CheckAsync(PanelDbContext db, int certificateId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == certificateId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Pki.Result.Failure<HeldCertificate>(string.Create(CultureInfo.InvariantCulture,
                $"There is no certificate with id {certificateId}; `cert list` shows the certificates and their ids."));
        }

        return WhyNot(record, now) is { } why ? Pki.Result.Failure<HeldCertificate>(why) : Pki.Result.Success(Held(record));
    }

    public static HeldCertificate Held(CertificateRecord record) =>
        new(record.Id, DisplayName(record.Description, record.Subject), record.NotBefore, record.NotAfter, record.Sha256Fingerprint);

    public static string DisplayName(string description, string subject) => description.Length > 0 ? description : subject;
}
