namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>`ca list` against a remote panel: GET /api/v1/authorities, printed as <see cref="AuthorityRow"/> as here.</summary>
internal static class RemoteCaCommands
{
    public static async Task<int> ListAsync(CliContext cli, RemotePanel panel, CancellationToken cancellationToken)
    {
        var authorities = await panel.GetAsync<Api.AuthorityList>("/authorities", cancellationToken).ConfigureAwait(false);
        return authorities.IsSuccess
            ? await cli.ListAsync(authorities.Value.Items.Select(a => new AuthorityRow(a.Id, a.Subject, a.NotAfter, a.Key, a.IssuedCount, a.IsRoot, a.ParentId)),
                a => a.Text(), a => a).ConfigureAwait(false)
            : await cli.FailAsync(authorities.Error!).ConfigureAwait(false);
    }
}
