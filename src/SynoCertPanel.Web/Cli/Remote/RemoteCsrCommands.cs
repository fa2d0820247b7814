using System.Globalization;
using SynoCertPanel.Web.Api;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>
/// The `csr` commands against a remote panel: `csr create` makes the key and CSR on the panel, where the key stays as it
/// stays here; `csr sign` reads and checks the CSR here as the local command does and has the panel's CA sign it.
/// </summary>
internal static class RemoteCsrCommands
{
    public static async Task<int> CreateAsync(CliContext cli, RemotePanel panel, string? commonName, string[]? names, string? key, FileInfo output,
        CancellationToken cancellationToken)
    {
        // The local command's checks first, so bad input is refused with its sentences before anything is sent.
        var subject = Pki.Names.DistinguishedName.Create(commonName);
        var sans = CliOptions.ParseNames(names);
        var algorithm = CliOptions.ParseKey(key, CsrCommands.DefaultKey);
        // The names the request will carry, as here: a host-name CN is repeated as a SAN, so --san may be left out, which
        // the API (holding to the wizard, which asks for a name) would otherwise refuse.
        var requested = subject.IsSuccess && sans.IsSuccess ? Pki.Issuance.CertificateIssuer.SigningRequestNames(subject.Value, sans.Value) : null;
        if ((subject.Error ?? sans.Error ?? algorithm.Error ?? requested?.Error) is { } problem)
        {
            return await cli.FailAsync(problem).ConfigureAwait(false);
        }

        var pending = await panel.PostAsync<PendingRequestDocument>("/requests", new CreateRequestBody
        {
            CommonName = commonName,
            AlternativeNames = [.. requested!.Value.Select(n => n.ToString())],
            // The command's own default key; the API's (the wizard's) would differ.
            Key = Pki.Keys.KeyAlgorithms.ToShortName(algorithm.Value),
            Description = string.Empty,
        }, cancellationToken).ConfigureAwait(false);
        if (pending.IsSuccess)
        {
            await File.WriteAllTextAsync(output.FullName, pending.Value.CsrPem, cancellationToken).ConfigureAwait(false);
        }

        return await CsrCommands.ReportCreatedAsync(cli, pending.Map(p => p.Id), output.FullName).ConfigureAwait(false);
    }

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
        IReadOnlyList<string> notCopied = [];
        if (signed.IsSuccess)
        {
            await File.WriteAllTextAsync(output.FullName, signed.Value.CertificatePem + signed.Value.ChainPem, cancellationToken).ConfigureAwait(false);
            var issued = Pki.Formats.CertificateReader.ReadOne(System.Text.Encoding.ASCII.GetBytes(signed.Value.CertificatePem));
            if (issued.IsSuccess)
            {
                notCopied = Core.Inventory.RequestDifferences.NotCopied(request.Value, issued.Value);
                signed = CsrCommands.WithNotCopied(signed, notCopied);
            }
        }

        return await cli.ReportAsync(signed, s => string.Create(CultureInfo.InvariantCulture, $"Wrote certificate {s.Id} and its chain to {output.FullName}"),
            s => new { id = s.Id, certificateId = s.Id, authorityId = authorityId.Value, file = output.FullName, notCopied }).ConfigureAwait(false);
    }

    public static async Task<int> ListAsync(CliContext cli, RemotePanel panel, CancellationToken cancellationToken)
    {
        var list = await panel.GetAsync<PendingRequestList>("/requests", cancellationToken).ConfigureAwait(false);
        if (!list.IsSuccess)
        {
            return await cli.FailAsync(list.Error!).ConfigureAwait(false);
        }

        // The list has no CSRs; --json prints each one's, as here, so those few requests are read one by one.
        var requests = new List<PendingRequestDocument>();
        foreach (var item in list.Value.Items)
        {
            var pending = cli.Json
                ? await panel.GetAsync<PendingRequestDocument>(RequestPath(item.Id), cancellationToken).ConfigureAwait(false)
                : Result.Success(new PendingRequestDocument(item.Id, item.Description, item.Subject, item.AlternativeNames, item.CreatedAt, item.Key, string.Empty));
            if (!pending.IsSuccess)
            {
                return await cli.FailAsync(pending.Error!).ConfigureAwait(false);
            }

            requests.Add(pending.Value);
        }

        return await cli.ListAsync(requests, p => string.Create(CultureInfo.InvariantCulture,
            $"{p.Id}\t{Display.Literal(p.Description, 40)}\t{string.Join(",", p.AlternativeNames)}\tsince {p.CreatedAt:yyyy-MM-dd}\t{p.Key}"), Json).ConfigureAwait(false);
    }

    public static async Task<int> ShowAsync(CliContext cli, RemotePanel panel, int id, CancellationToken cancellationToken) =>
        await cli.ReportAsync(await panel.GetAsync<PendingRequestDocument>(RequestPath(id), cancellationToken).ConfigureAwait(false),
            p => p.CsrPem.TrimEnd('\n'), Json).ConfigureAwait(false);

    public static async Task<int> CancelAsync(CliContext cli, RemotePanel panel, int id, CancellationToken cancellationToken) =>
        await cli.ReportAsync(await panel.DeleteAsync<CancelledRequestDocument>(RequestPath(id), cancellationToken).ConfigureAwait(false),
            c => $"Cancelled pending request {c.Id}; " + (c.KeyDestroyed ? "its key was destroyed" : "its key stays, a certificate here uses it"),
            c => new { id = c.Id, requestId = c.Id, cancelled = true, keyDestroyed = c.KeyDestroyed }).ConfigureAwait(false);

    private static string RequestPath(int id) => string.Create(CultureInfo.InvariantCulture, $"/requests/{id}");

    /// <summary>A pending request with --json, as `csr list` and `csr show` print it here.</summary>
    private static object Json(PendingRequestDocument p) =>
        CsrRequestCommands.Json(p.Id, p.Description, p.Subject, p.AlternativeNames, p.CreatedAt, p.Key, p.CsrPem);
}
