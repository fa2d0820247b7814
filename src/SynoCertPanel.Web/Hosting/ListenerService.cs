using System.Diagnostics;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Listener;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Hosting;

/// <summary>What an apply did: the certificate now served, the one it replaced, and how long the handshake check took.</summary>
public sealed record AppliedCertificate(int CertificateId, string Thumbprint, int PreviousCertificateId, TimeSpan Elapsed);

/// <summary>
/// ApplyToListener: pre-flight → persist as default → swap → confirm with a real handshake → on failure put the
/// previous certificate back. Also follows the default when another process (the CLI) changes it.
/// </summary>
public sealed class ListenerService(PanelStorage storage, ServedCertificateStore store, CertificateHolder holder, ListenerEndpoint endpoint,
    TimeProvider time, ILogger<ListenerService> logger) : IDisposable
{
    public static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private int? _lastUnusableDefault;

    public async Task<Result<AppliedCertificate>> ApplyAsync(int certificateId, string? adminHost, bool confirmed, string actor,
        CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var loaded = await store.LoadAsync(certificateId, cancellationToken).ConfigureAwait(false);
            var checkedChain = loaded.Bind(s => ApplyPreflight.Check(s, adminHost, confirmed, time.GetUtcNow()));
            var prepared = checkedChain.Bind(_ => ListenerCertificate.Create(loaded.Value));
            if (!prepared.IsSuccess)
            {
                ListenerLog.ApplyRefused(logger, certificateId, actor, prepared.Error!);
                await store.RecordRefusalAsync(certificateId, actor, prepared.Error!, cancellationToken).ConfigureAwait(false);
                return Result.Failure<AppliedCertificate>(prepared.Error!);
            }

            var persisted = await new InventoryService(storage, time).SetDefaultAsync(certificateId, actor, cancellationToken).ConfigureAwait(false);
            if (!persisted.IsSuccess)
            {
                prepared.Value.Dispose();
                ListenerLog.ApplyRefused(logger, certificateId, actor, persisted.Error!);
                return Result.Failure<AppliedCertificate>(persisted.Error!);
            }

            var next = prepared.Value;
            var previous = holder.Swap(next)!;
            var confirmation = await ConfirmAsync(next, adminHost, cancellationToken).ConfigureAwait(false);
            if (!confirmation.IsSuccess)
            {
                holder.Swap(previous);
                await store.RestoreDefaultAsync(previous.CertificateId, actor, confirmation.Error!, cancellationToken).ConfigureAwait(false);
                ListenerLog.ApplyRolledBack(logger, certificateId, confirmation.Error!, previous.CertificateId);
                return Result.Failure<AppliedCertificate>(
                    $"Certificate {certificateId} was not applied: {confirmation.Error}. The previous certificate ({previous.CertificateId}) is served again.");
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            ListenerLog.Applied(logger, certificateId, next.Thumbprint, actor, (long)elapsed.TotalMilliseconds);
            return Result.Success(new AppliedCertificate(certificateId, next.Thumbprint, previous.CertificateId, elapsed), checkedChain.Warnings);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Serves the default named in the data directory if it differs from the one served; called by the poller.
    /// A default that cannot be served is logged once and the current certificate stays.
    /// </summary>
    public async Task FollowDefaultAsync(CancellationToken cancellationToken = default)
    {
        var id = await store.GetDefaultIdAsync(cancellationToken).ConfigureAwait(false);
        if (id is not { } defaultId || defaultId == holder.Current.CertificateId || defaultId == _lastUnusableDefault)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // An apply may have changed both while this waited for the gate.
            id = await store.GetDefaultIdAsync(cancellationToken).ConfigureAwait(false);
            if (id != defaultId || defaultId == holder.Current.CertificateId)
            {
                return;
            }

            var loaded = await store.LoadAsync(defaultId, cancellationToken).ConfigureAwait(false);
            var prepared = loaded.Bind(ListenerCertificate.Create);
            if (!prepared.IsSuccess)
            {
                _lastUnusableDefault = defaultId;
                ListenerLog.ExternalChangeUnusable(logger, defaultId, prepared.Error!, holder.Current.CertificateId);
                return;
            }

            holder.Swap(prepared.Value);
            ListenerLog.PickedUpExternalChange(logger, defaultId);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<Result<string>> ConfirmAsync(ListenerCertificate expected, string? adminHost, CancellationToken cancellationToken)
    {
        var address = endpoint.Resolve();
        if (!address.IsSuccess)
        {
            return Result.Failure<string>(address.Error!);
        }

        var served = await HandshakeProbe.ServedThumbprintAsync(address.Value, adminHost, ConfirmTimeout, cancellationToken).ConfigureAwait(false);
        return served.IsSuccess && served.Value != expected.Thumbprint
            ? Result.Failure<string>($"the listener still served SHA-256 {served.Value} instead of {expected.Thumbprint}")
            : served;
    }
}
