using System.CommandLine;
using System.Globalization;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Web.Cli;

/// <summary>
/// `cert renew`: the Renew page's rules. A new key with the same subject and names; issued at once when the issuer
/// is a CA held here, otherwise a pending request (CSR) for that CA, whose key stays here.
/// </summary>
internal static class CertRenewCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("renew", "Renew a certificate: a new key, the same subject and names (a pending CSR when its CA is not held here).");
        var id = new Argument<int>("ID");
        var days = CliOptions.Days();
        days.Description = "Validity of the new certificate in days (default: the old one's lifetime, capped by the profile).";
        var key = CliOptions.Key();
        key.Description = "Key type of the new key (default: the old one's): rsa2048, rsa3072, rsa4096, p256 or p384.";
        var setDefault = new Option<bool>("--set-default")
        {
            Description = "Serve the new certificate on the panel's HTTPS listener (implied when the old one is the default: the new one takes its place).",
        };
        command.Add(id);
        foreach (var option in new Option[] { days, key, setDefault })
        {
            command.Add(option);
        }

        cli.Remote.Add("cert renew", command, (parse, panel, cancellationToken) => Remote.RemoteCertChangeCommands.RenewAsync(cli, panel,
            parse.GetValue(id), parse.GetValue(days), parse.GetValue(key), parse.GetValue(setDefault), cancellationToken));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var algorithm = parse.GetValue(key) is { } text ? KeyAlgorithms.Parse(text) : null;
            if (algorithm is { IsSuccess: false })
            {
                return await cli.FailAsync(algorithm.Error!).ConfigureAwait(false);
            }

            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var renewals = new RenewService(storage, cli.Time);
            var plan = await renewals.PlanAsync(parse.GetValue(id), cancellationToken).ConfigureAwait(false);
            if (!plan.IsSuccess)
            {
                return await cli.FailAsync(plan.Error!).ConfigureAwait(false);
            }

            if (plan.Value.RequestRefusal(parse.GetValue(days) is not null, parse.GetValue(setDefault), "--days", "--set-default") is { } refusal)
            {
                return await cli.FailAsync(refusal).ConfigureAwait(false);
            }

            // As on the page: the new certificate takes the old one's place, so the default moves with it.
            var makeDefault = parse.GetValue(setDefault) || (plan.Value.IsDefault && plan.Value.AuthorityId is not null);
            var renewal = await renewals.RenewAsync(plan.Value.CertificateId, algorithm?.Value, makeDefault, cli.Actor, parse.GetValue(days),
                cancellationToken).ConfigureAwait(false);
            if (renewal.IsSuccess && renewal.Value.CertificateId is { } renewedId)
            {
                return await ReportIssuedAsync(cli, storage, plan.Value, renewal, renewedId, makeDefault, cancellationToken).ConfigureAwait(false);
            }

            return await cli.ReportAsync(renewal,
                r => $"Created pending request {r.Request!.Id} for certificate {plan.Value.CertificateId}: its CA is not held here. "
                    + $"Send it the CSR (`csr show {r.Request.Id}`), then import the signed certificate; the key stays here.",
                r => new { requestId = r.Request!.Id, renews = plan.Value.CertificateId, pending = true, csr = r.Request.Request.ToPem() }).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ReportIssuedAsync(CliContext cli, Core.Storage.PanelStorage storage, RenewalPlan plan, Pki.Result<Renewal> renewal,
        int renewedId, bool setDefault, CancellationToken cancellationToken)
    {
        var details = await new InventoryService(storage, cli.Time).GetAsync(renewedId, cancellationToken).ConfigureAwait(false);
        var notAfter = details.IsSuccess ? details.Value.Certificate.NotAfter : (DateTimeOffset?)null;
        return await cli.ReportAsync(renewal,
            _ => string.Create(CultureInfo.InvariantCulture, $"Renewed certificate {plan.CertificateId} as certificate {renewedId}, valid until {notAfter:yyyy-MM-dd}")
                + (setDefault ? "; it is now the default" : string.Empty)
                + string.Create(CultureInfo.InvariantCulture, $". Certificate {plan.CertificateId} is kept, marked replaced (`cert list --all` shows it)."),
            _ => new
            {
                id = renewedId,
                certificateId = renewedId,
                renews = plan.CertificateId,
                replaces = plan.CertificateId,
                authorityId = plan.AuthorityId,
                notAfter,
                isDefault = setDefault,
                pending = false
            })
            .ConfigureAwait(false);
    }
}
