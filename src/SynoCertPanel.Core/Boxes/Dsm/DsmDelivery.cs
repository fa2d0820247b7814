namespace SynoCertPanel.Core.Boxes.Dsm;

/// <summary>
/// Synology DSM through its Web API: the certificate with the same description is replaced under its id, so the
/// services bound to it (DSM's own web interface, WebDAV, VPN…) keep it, and the default stays the default.
/// DSM's own UI cannot use a custom ACME server, which is why a home CA's certificate reaches it this way.
/// </summary>
public sealed class DsmDelivery : IBoxDelivery
{
    private readonly TimeProvider _time;
    private readonly BoxTlsLimits _limits;

    public DsmDelivery(TimeProvider time)
        : this(time, BoxTlsLimits.Standard)
    {
    }

    internal DsmDelivery(TimeProvider time, BoxTlsLimits limits)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _limits = limits;
    }

    public DeliveryKind Kind => DeliveryKind.Dsm;

    public IReadOnlyList<DeliveryOption> Options => DsmOptions.All;

    /// <summary>API info, login and the certificate list (which DSM refuses to non-administrators); no import.</summary>
    public Task<DeliveryOutcome> TestAsync(DeliveryTarget target, CancellationToken cancellationToken) =>
        RunAsync(target, null, cancellationToken);

    public Task<DeliveryOutcome> DeliverAsync(DeliveryTarget target, DeliveryBundle bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return RunAsync(target, bundle, cancellationToken);
    }

    /// <summary>The previous certificate imported again over the same id (found by the same description).</summary>
    public Task<DeliveryOutcome> RestoreAsync(DeliveryTarget target, DeliveryBundle? previous, CancellationToken cancellationToken) =>
        previous is null
            ? Task.FromResult(DeliveryOutcome.Failed(DeliveryFailure.Settings,
                $"The certificate {target?.BoxName} had before is not held in this panel, so it cannot be put back; nothing was changed on the box. Deploy a certificate held here to replace the one it serves."))
            : RunAsync(target, previous, cancellationToken);

    private async Task<DeliveryOutcome> RunAsync(DeliveryTarget target, DeliveryBundle? bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var settings = DsmSettings.From(target);
        if (!settings.IsSuccess)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.Settings, settings.Error!);
        }

        var trust = BoxTlsTrust.From(target, settings.Value.Url, _time);
        if (!trust.IsSuccess)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.Settings, trust.Error!);
        }

        var steps = new List<string>();
        using var client = new BoxTlsClient(settings.Value.Url, trust.Value, _limits, _time);
        var session = new DsmSession(client, settings.Value, steps);
        string? delivered = null;
        BoxProblem? problem;
        string? message = null;
        try
        {
            problem = await session.InfoAsync(cancellationToken).ConfigureAwait(false)
                ?? await session.LoginAsync(cancellationToken).ConfigureAwait(false);
            if (problem is null)
            {
                (problem, message) = await WorkAsync(session, settings.Value, target, bundle, steps, cancellationToken).ConfigureAwait(false);
                delivered = problem is null ? bundle?.Sha256Fingerprint : null;
            }
        }
        finally
        {
            await session.LogoutAsync().ConfigureAwait(false);
        }

        var learned = new Dictionary<string, string>(session.Learned, StringComparer.Ordinal);
        if (delivered is not null && settings.Value.Description is null)
        {
            // Later certificates for this box replace the same DSM entry, whatever their own description.
            learned[DsmOptions.Description] = DescriptionOf(bundle!, target);
        }

        // The delivered certificate may become the one DSM's own port shows after its web server restarts: pinned too.
        if (trust.Value.LearnedPin(delivered) is { } pin)
        {
            learned[BoxTls.FingerprintOption] = pin;
        }

        return problem is null
            ? DeliveryOutcome.Success(message!, steps, learned)
            : DeliveryOutcome.Failed(problem.Failure, problem.Sentence, steps, learned);
    }

    private static async Task<(BoxProblem? Problem, string? Message)> WorkAsync(
        DsmSession session, DsmSettings settings, DeliveryTarget target, DeliveryBundle? bundle, List<string> steps, CancellationToken cancellationToken)
    {
        var (certificates, problem) = await session.ListAsync(cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return (problem, null);
        }

        var description = settings.Description ?? (bundle is null ? null : DescriptionOf(bundle, target));
        var existing = description is null ? null : certificates!.FirstOrDefault(c => c.Description == description);
        var same = description is null ? 0 : certificates!.Count(c => c.Description == description);
        steps.Add(existing is null
            ? $"DSM holds {certificates!.Count} certificate(s){(description is null ? "." : $", none described \"{description}\".")}"
            : $"DSM holds {certificates!.Count} certificate(s); \"{description}\" is id {existing.Id}{(existing.IsDefault ? " (the default)" : string.Empty)}{(same > 1 ? $"; {same} share that description, the first is replaced" : string.Empty)}.");
        if (bundle is null)
        {
            return (null, $"Logged in to {target.BoxName} as {settings.Account}, who may change certificates: DSM listed {certificates.Count}. Nothing was changed.");
        }

        var (restarts, imported) = await session.ImportAsync(bundle, description!, existing, cancellationToken).ConfigureAwait(false);
        if (imported is not null)
        {
            return (imported, null);
        }

        steps.Add((existing is null ? $"Imported the certificate as a new one described \"{description}\"" : $"Imported the certificate over id {existing.Id}{(existing.IsDefault ? ", kept as the default" : string.Empty)}")
            + (restarts ? "; DSM restarts its web server." : "."));
        return (null, existing is null
            ? $"DSM on {target.BoxName} holds the certificate now as \"{description}\"; assign it to services in DSM (Control Panel > Security > Certificate > Settings)."
            : $"DSM on {target.BoxName} holds the certificate now in place of \"{description}\"; the services bound to it use it.");
    }

    /// <summary>The bundle's description when DSM can hold it, else the box's name.</summary>
    private static string DescriptionOf(DeliveryBundle bundle, DeliveryTarget target) =>
        bundle.Description.Trim() is { Length: > 0 } text && DsmOptions.ValidateDescription(text) is null ? text : target.BoxName;
}
