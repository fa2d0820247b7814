using System.Globalization;
using SynoCertPanel.Web.Api;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>
/// `cert renew`, `cert set-default` and `cert delete` against a remote panel: the API's calls instead of the services,
/// and the same output and exit codes as on a data directory here. The panel's refusals are its own sentences.
/// </summary>
internal static class RemoteCertChangeCommands
{
    public static async Task<int> RenewAsync(CliContext cli, RemotePanel panel, int id, int? days, string? key, bool setDefault,
        CancellationToken cancellationToken)
    {
        var renewed = await panel.PostAsync<RenewalDocument>(Path(id, "/renew"), new RenewCertificateBody
        {
            ValidityDays = days,
            Key = key,
            SetAsDefault = setDefault ? true : null,
        }, cancellationToken).ConfigureAwait(false);
        if (!renewed.IsSuccess)
        {
            // The panel names the body's fields; the person typed the command's options.
            return await cli.FailAsync(renewed.Error!.Replace("validityDays", "--days", StringComparison.Ordinal)
                .Replace("setAsDefault", "--set-default", StringComparison.Ordinal)).ConfigureAwait(false);
        }

        var renewal = renewed.Value;
        if (renewal.Request is { } request)
        {
            return await cli.ReportAsync(Result.Success(request, renewal.Warnings),
                r => $"Created pending request {r.Id} for certificate {renewal.Renews}: its CA is not held here. "
                    + $"Send it the CSR (`csr show {r.Id}`), then import the signed certificate; the key stays here.",
                r => new { requestId = r.Id, renews = renewal.Renews, pending = true, csr = r.CsrPem }).ConfigureAwait(false);
        }

        if (renewal.Certificate is not { } certificate)
        {
            return await cli.FailAsync($"{panel.Authority} answered the renewal with neither a certificate nor a request; that is not the panel's API.")
                .ConfigureAwait(false);
        }

        // The listener's pre-flight may refuse to serve the new certificate; the renewal stands, as on the page.
        var isDefault = renewal.DefaultRequested && renewal.DefaultError is null;
        IReadOnlyList<string> warnings = renewal.DefaultError is { } refusal
            ? [.. renewal.Warnings, $"the panel does not serve certificate {certificate.Id}: {refusal}"]
            : renewal.Warnings;
        var authorityId = await IssuerAsync(panel, certificate, cancellationToken).ConfigureAwait(false);
        return await cli.ReportAsync(Result.Success(certificate, warnings),
            c => string.Create(CultureInfo.InvariantCulture, $"Renewed certificate {renewal.Renews} as certificate {c.Id}, valid until {c.NotAfter:yyyy-MM-dd}")
                + (isDefault ? "; it is now the default" : string.Empty)
                + string.Create(CultureInfo.InvariantCulture, $". Certificate {renewal.Renews} is kept, marked replaced (`cert list --all` shows it)."),
            c => new
            {
                id = c.Id,
                certificateId = c.Id,
                renews = renewal.Renews,
                replaces = renewal.Renews,
                authorityId,
                notAfter = (DateTimeOffset?)c.NotAfter,
                isDefault,
                pending = false
            }).ConfigureAwait(false);
    }

    public static async Task<int> SetDefaultAsync(CliContext cli, RemotePanel panel, int id, CancellationToken cancellationToken)
    {
        var served = await panel.PostAsync<DefaultCertificateDocument>(Path(id, "/default"), new SetDefaultBody(), cancellationToken).ConfigureAwait(false);
        return await cli.ReportAsync(served.IsSuccess ? Result.Success(served.Value.CertificateId, served.Value.Warnings) : Result.Failure<int>(served.Error!),
            i => $"Certificate {i} is now the default", i => new { id = i }).ConfigureAwait(false);
    }

    public static async Task<int> DeleteAsync(CliContext cli, RemotePanel panel, int id, bool force, CancellationToken cancellationToken)
    {
        var deleted = await panel.DeleteAsync<DeletedCertificateDocument>(Path(id, force ? "?force=true" : string.Empty), cancellationToken)
            .ConfigureAwait(false);
        return await cli.ReportAsync(deleted.Map(d => d.Id), i => $"Deleted certificate {i}", i => new { id = i }).ConfigureAwait(false);
    }

    /// <summary>
    /// The CA held on the panel that issued <paramref name="certificate"/>, as the local command reports it: of the CAs named
    /// as its issuer, the one whose issued list holds it. Null when the token cannot read the CAs.
    /// </summary>
    private static async Task<int?> IssuerAsync(RemotePanel panel, CertificateDocument certificate, CancellationToken cancellationToken)
    {
        var authorities = await panel.GetAsync<AuthorityList>("/authorities", cancellationToken).ConfigureAwait(false);
        if (!authorities.IsSuccess)
        {
            return null;
        }

        var named = authorities.Value.Items.Where(a => a.Subject == certificate.Issuer).ToList();
        foreach (var authority in named.Count > 0 ? named : authorities.Value.Items)
        {
            var document = await panel.GetAsync<AuthorityDocument>(string.Create(CultureInfo.InvariantCulture, $"/authorities/{authority.Id}"), cancellationToken)
                .ConfigureAwait(false);
            if (document.IsSuccess && document.Value.Issued.Any(i => i.Id == certificate.Id))
            {
                return authority.Id;
            }
        }

        return null;
    }

    private static string Path(int id, string rest) => string.Create(CultureInfo.InvariantCulture, $"/certificates/{id}{rest}");
}
