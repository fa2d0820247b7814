using System.Net;
using SynoCertPanel.Core.Listener;

namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// Fills the holder before the listener starts: the default certificate from the data directory, or — on a first
/// start, or when the default cannot be served — a fresh self-signed one, so the panel is never unreachable.
/// <see cref="PrepareAsync"/> needs only the storage, so the host builds it while the rest of the host is put together
/// (on 2 cores the two halves of start-up overlap); <see cref="Serve"/> then logs what happened and fills the holder.
/// </summary>
public sealed class ListenerStartup(CertificateHolder holder, ILogger<ListenerStartup> logger)
{
    public const string Actor = "panel";

    /// <summary>What start-up found: the certificate to serve, whether it was made because there was no default, and the default it could not serve.</summary>
    public sealed record Prepared(Result<ListenerCertificate> Certificate, bool MadeForFirstStart, int? UnusableDefaultId, string? UnusableReason);

    public static async Task<Prepared> PrepareAsync(ServedCertificateStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var defaultId = await store.GetDefaultIdAsync(cancellationToken).ConfigureAwait(false);
        if (defaultId is not { } id)
        {
            return new Prepared(await CreateSelfSignedAsync(store, cancellationToken).ConfigureAwait(false), true, null, null);
        }

        var prepared = (await store.LoadAsync(id, cancellationToken).ConfigureAwait(false)).Bind(ListenerCertificate.Create);
        return prepared.IsSuccess
            ? new Prepared(prepared, false, null, null)
            : new Prepared(await CreateSelfSignedAsync(store, cancellationToken).ConfigureAwait(false), false, id, prepared.Error);
    }

    public Result<ListenerCertificate> Serve(Prepared prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (!prepared.Certificate.IsSuccess)
        {
            return prepared.Certificate;
        }

        var certificate = prepared.Certificate.Value;
        if (prepared.UnusableDefaultId is { } unusable)
        {
            ListenerLog.DefaultUnusableFellBack(logger, unusable, prepared.UnusableReason!, certificate.CertificateId);
        }
        else if (prepared.MadeForFirstStart)
        {
            ListenerLog.FirstStartSelfSigned(logger, certificate.CertificateId, string.Join(", ", certificate.Leaf.SubjectAlternativeNames.Select(n => n.DisplayValue)));
        }

        holder.Swap(certificate);
        ListenerLog.Serving(logger, certificate.CertificateId, certificate.SubjectText, certificate.Thumbprint);
        return Result.Success(certificate);
    }

    /// <summary>A new root and server certificate for this machine's names, made the default (also `reset-tls`).</summary>
    public static async Task<Result<ServedCertificate>> CreateSelfSignedDefaultAsync(ServedCertificateStore store, string actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var host = Dns.GetHostName();
        return await store.CreateSelfSignedDefaultAsync(StartupCertificate.MachineNames(host), host, actor, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Result<ListenerCertificate>> CreateSelfSignedAsync(ServedCertificateStore store, CancellationToken cancellationToken) =>
        (await CreateSelfSignedDefaultAsync(store, Actor, cancellationToken).ConfigureAwait(false)).Bind(ListenerCertificate.Create);
}
