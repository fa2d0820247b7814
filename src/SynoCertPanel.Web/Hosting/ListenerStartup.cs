using System.Net;
using SynoCertPanel.Core.Listener;

namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// Fills the holder before the listener starts: the default certificate from the data directory, or — on a first
/// start, or when the default cannot be served — a fresh self-signed one, so the panel is never unreachable.
/// </summary>
public sealed class ListenerStartup(ServedCertificateStore store, CertificateHolder holder, ILogger<ListenerStartup> logger)
{
    public const string Actor = "panel";

    public async Task<Result<ListenerCertificate>> LoadAsync(CancellationToken cancellationToken = default)
    {
        var defaultId = await store.GetDefaultIdAsync(cancellationToken).ConfigureAwait(false);
        if (defaultId is { } id)
        {
            var prepared = (await store.LoadAsync(id, cancellationToken).ConfigureAwait(false)).Bind(ListenerCertificate.Create);
            if (prepared.IsSuccess)
            {
                return Serve(prepared.Value);
            }

            var fallback = await CreateSelfSignedAsync(cancellationToken).ConfigureAwait(false);
            if (fallback.IsSuccess)
            {
                ListenerLog.DefaultUnusableFellBack(logger, id, prepared.Error!, fallback.Value.CertificateId);
            }

            return fallback.IsSuccess ? Serve(fallback.Value) : fallback;
        }

        var created = await CreateSelfSignedAsync(cancellationToken).ConfigureAwait(false);
        if (created.IsSuccess)
        {
            ListenerLog.FirstStartSelfSigned(logger, created.Value.CertificateId,
                string.Join(", ", created.Value.Leaf.SubjectAlternativeNames.Select(n => n.DisplayValue)));
        }

        return created.IsSuccess ? Serve(created.Value) : created;
    }

    /// <summary>A new root and server certificate for this machine's names, made the default (also `reset-tls`).</summary>
    public static async Task<Result<ServedCertificate>> CreateSelfSignedDefaultAsync(ServedCertificateStore store, string actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var host = Dns.GetHostName();
        return await store.CreateSelfSignedDefaultAsync(StartupCertificate.MachineNames(host), host, actor, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<ListenerCertificate>> CreateSelfSignedAsync(CancellationToken cancellationToken) =>
        (await CreateSelfSignedDefaultAsync(store, Actor, cancellationToken).ConfigureAwait(false)).Bind(ListenerCertificate.Create);

    private Result<ListenerCertificate> Serve(ListenerCertificate certificate)
    {
        holder.Swap(certificate);
        ListenerLog.Serving(logger, certificate.CertificateId, certificate.Leaf.SubjectText, certificate.Thumbprint);
        return Result.Success(certificate);
    }
}
