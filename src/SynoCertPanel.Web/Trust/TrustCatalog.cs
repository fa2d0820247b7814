using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Trust;

/// <summary>
/// The CAs held in the data directory, read through the same services the CLI uses. The storage opens
/// on the first request (not at start-up) so a damaged database shows as a message on the trust page
/// instead of stopping the listener; a failed open is retried on the next request.
/// </summary>
public sealed class TrustCatalog(string dataDirectory, TimeProvider time)
{
    private readonly Lock _lock = new();
    private Task<Result<PanelStorage>>? _opening;

    public async Task<Result<IReadOnlyList<TrustedRoot>>> ListAsync(CancellationToken cancellationToken)
    {
        var storage = await OpenAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!storage.IsSuccess)
        {
            return Result.Failure<IReadOnlyList<TrustedRoot>>(storage.Error!);
        }

        var inventory = new InventoryService(storage.Value, time);
        var roots = new List<TrustedRoot>();
        foreach (var authority in await new AuthorityService(storage.Value, time).ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var details = await inventory.GetAsync(authority.CertificateId, cancellationToken).ConfigureAwait(false);
            if (details.IsSuccess)
            {
                roots.Add(new TrustedRoot(authority.Id, details.Value.Certificate));
            }
        }

        return Result.Success<IReadOnlyList<TrustedRoot>>(roots);
    }

    /// <summary>The CA with this id, or null when there is none (the endpoints answer 404).</summary>
    public async Task<Result<TrustedRoot?>> FindAsync(int authorityId, CancellationToken cancellationToken)
    {
        var roots = await ListAsync(cancellationToken).ConfigureAwait(false);
        return roots.IsSuccess
            ? Result.Success(roots.Value.FirstOrDefault(r => r.Id == authorityId))
            : Result.Failure<TrustedRoot?>(roots.Error!);
    }

    private Task<Result<PanelStorage>> OpenAsync()
    {
        lock (_lock)
        {
            // One open shared by concurrent requests; not tied to any one request's cancellation.
            if (_opening is null || (_opening.IsCompleted && !(_opening.IsCompletedSuccessfully && _opening.Result.IsSuccess)))
            {
                _opening = PanelStorage.OpenAsync(new DataDirectory(dataDirectory), CancellationToken.None);
            }

            return _opening;
        }
    }
}
