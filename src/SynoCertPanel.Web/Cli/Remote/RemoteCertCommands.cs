using System.Globalization;
using SynoCertPanel.Web.Api;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>
/// `cert list`, `cert show` and `cert create` against a remote panel: the same arguments and checks as on a data
/// directory here, the API's calls instead of the services, and the same output (<see cref="CertificateRow"/>,
/// <see cref="CertificateFacts"/>) and exit codes.
/// </summary>
internal static class RemoteCertCommands
{
    public static async Task<int> ListAsync(CliContext cli, RemotePanel panel, CertListArguments arguments, CancellationToken cancellationToken)
    {
        var problem = arguments.Problem();
        if (problem is not null)
        {
            return await cli.FailAsync(problem).ConfigureAwait(false);
        }

        // The API answers in pages of at most 500; the command lists all (or --limit) as it does here.
        var rows = new List<CertificateRow>();
        var total = 0;
        while (true)
        {
            var want = Math.Min(Core.Inventory.CertificateQuery.MaxPageSize, arguments.Limit is { } most ? most - rows.Count : int.MaxValue);
            var query = string.Create(CultureInfo.InvariantCulture, $"/certificates?offset={arguments.Offset + rows.Count}&limit={want}")
                + (arguments.IncludeReplaced ? "&includeReplaced=true" : string.Empty)
                + (string.IsNullOrEmpty(arguments.Search) ? string.Empty : "&search=" + Uri.EscapeDataString(arguments.Search));
            var page = await panel.GetAsync<CertificateList>(query, cancellationToken).ConfigureAwait(false);
            if (!page.IsSuccess)
            {
                return await cli.FailAsync(page.Error!).ConfigureAwait(false);
            }

            total = page.Value.Total;
            rows.AddRange(page.Value.Items.Select(CertificateRow.From));
            if (page.Value.Items.Count == 0 || page.Value.Items.Count < want || rows.Count >= arguments.Limit || arguments.Offset + rows.Count >= total)
            {
                break;
            }
        }

        return await cli.ListAsync(rows, r => r.Text(), r => r, new ListRange(total, arguments.Offset, arguments.Limit)).ConfigureAwait(false);
    }

    public static async Task<int> ShowAsync(CliContext cli, RemotePanel panel, int id, CancellationToken cancellationToken)
    {
        var document = await panel.GetAsync<CertificateDocument>(string.Create(CultureInfo.InvariantCulture, $"/certificates/{id}"), cancellationToken)
            .ConfigureAwait(false);
        return await cli.ReportAsync(document.Map(CertificateFacts.From), f => f.Text(), f => f).ConfigureAwait(false);
    }

    /// <summary>
    /// Issues from the CA named with --ca, or as here from the only CA the panel holds. Here, with none, the command makes a
    /// first root; the API makes a root only when asked, so remotely that is refused.
    /// </summary>
    public static async Task<int> CreateAsync(CliContext cli, RemotePanel panel, CertCreateArguments arguments, CancellationToken cancellationToken)
    {
        var problem = arguments.SetDefault
            ? "--set-default does not work with --server: the API never changes the certificate the panel serves while creating one."
            : arguments.EmptyName;
        if (problem is not null)
        {
            return await cli.FailAsync(problem).ConfigureAwait(false);
        }

        var authorityId = arguments.AuthorityId;
        if (authorityId is null)
        {
            var authorities = await panel.GetAsync<AuthorityList>("/authorities", cancellationToken).ConfigureAwait(false);
            if (!authorities.IsSuccess)
            {
                return await cli.FailAsync(authorities.Error!).ConfigureAwait(false);
            }

            var ids = authorities.Value.Items.Select(a => a.Id).Order().ToList();
            if (ids.Count != 1)
            {
                // The local command's sentence for several; for none, what the panel would need first.
                return await cli.FailAsync(ids.Count > 1
                    ? string.Create(CultureInfo.InvariantCulture, $"{ids.Count} CAs are held here; choose one with --ca ({string.Join(", ", ids)}).")
                    : $"{panel.Authority} holds no CA, and the API makes a root only when asked: create one on the panel first, then name it with --ca ID.")
                    .ConfigureAwait(false);
            }

            authorityId = ids[0];
        }

        var created = await panel.PostAsync<CertificateDocument>("/certificates", new CreateCertificateBody
        {
            CommonName = arguments.CommonName,
            AlternativeNames = arguments.Names,
            // The command's own default key here; the API's (the wizard's) would differ.
            Key = arguments.Key ?? CertCreateArguments.DefaultKey,
            ValidityDays = arguments.Days,
            Description = arguments.Description ?? string.Empty,
            AuthorityId = authorityId,
        }, cancellationToken).ConfigureAwait(false);
        return await cli.ReportAsync(created, d => string.Create(CultureInfo.InvariantCulture, $"Created certificate {d.Id}"),
            d => new { id = d.Id, certificateId = d.Id, authorityId }).ConfigureAwait(false);
    }
}
