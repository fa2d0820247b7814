using System.Globalization;
using SynoCertPanel.Web.Api;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>`csr sign` against a remote panel: the CSR read and checked here as the local command does, signed by the panel's CA.</summary>
internal static class RemoteCsrCommands
{
    public static async Task<int> SignAsync(CliContext cli, RemotePanel panel, FileInfo file, int? ca, int? days, string[]? names, FileInfo output,
        CancellationToken cancellationToken)
    {
        var request = await CsrCommands.ReadRequestAsync(file, cancellationToken).ConfigureAwait(false);
        var sans = names is { Length: > 0 } ? CliOptions.ParseNames(names) : null;
        if ((request.Error ?? sans?.Error) is { } problem)
        {
            return await cli.FailAsync(problem).ConfigureAwait(false);
        }

        // The local rule: --ca, or the only CA held; the API would otherwise pick the one that signed last.
        var authorityId = ca;
        if (authorityId is null)
        {
            var authorities = await panel.GetAsync<AuthorityList>("/authorities", cancellationToken).ConfigureAwait(false);
            if (!authorities.IsSuccess)
            {
                return await cli.FailAsync(authorities.Error!).ConfigureAwait(false);
            }

            authorityId = authorities.Value.Items.Count == 1 ? authorities.Value.Items[0].Id : null;
            if (authorityId is null)
            {
                return await cli.FailAsync(authorities.Value.Items.Count == 0
                    ? "No CA is held here; create one with `ca create`." : "Several CAs are held here; choose one with --ca.").ConfigureAwait(false);
            }
        }

        var signed = await panel.PostAsync<CertificateDocument>("/certificates/sign", new SignRequestBody
        {
            Csr = request.Value.ToPem(),
            AuthorityId = authorityId,
            ValidityDays = days,
            AlternativeNames = sans is null ? null : CliOptions.SplitNames(names),
            Description = string.Empty,
        }, cancellationToken).ConfigureAwait(false);
        if (signed.IsSuccess)
        {
            await File.WriteAllTextAsync(output.FullName, signed.Value.CertificatePem + signed.Value.ChainPem, cancellationToken).ConfigureAwait(false);
        }

        return await cli.ReportAsync(signed, s => string.Create(CultureInfo.InvariantCulture, $"Wrote certificate {s.Id} and its chain to {output.FullName}"),
            s => new { id = s.Id, certificateId = s.Id, authorityId = authorityId.Value, file = output.FullName }).ConfigureAwait(false);
    }
}
