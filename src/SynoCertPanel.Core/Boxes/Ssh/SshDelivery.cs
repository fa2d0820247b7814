using Microsoft.Extensions.Logging;

namespace SynoCertPanel.Core.Boxes.Ssh;

/// <summary>
/// Delivery to any Linux box over SSH: key login, host key pinned on first contact, certificate, key and full chain
/// written atomically with the chosen owner and modes, then the operator's reload command.
/// </summary>
public sealed partial class SshDelivery(ILogger<SshDelivery> logger) : IBoxDelivery
{
    public DeliveryKind Kind => DeliveryKind.Ssh;

    public IReadOnlyList<DeliveryOption> Options => SshOptions.All;

    public Task<DeliveryOutcome> TestAsync(DeliveryTarget target, CancellationToken cancellationToken) =>
        WithSessionAsync(target, "test", async (session, settings, steps) =>
        {
            var install = new SshFileInstall(session, settings, steps);
            return await install.CheckWritableAsync(settings.Paths, cancellationToken).ConfigureAwait(false)
                ?? DeliveryOutcome.Success($"Logged in to {settings.Endpoint}; every target folder is writable. Nothing was changed.");
        }, cancellationToken);

    public Task<DeliveryOutcome> DeliverAsync(DeliveryTarget target, DeliveryBundle bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return WithSessionAsync(target, "delivery", async (session, settings, steps) =>
        {
            var install = new SshFileInstall(session, settings, steps);
            if (await install.InstallAsync(settings.Files(bundle), cancellationToken).ConfigureAwait(false) is { } failure)
            {
                return failure;
            }

            return await ReloadAsync(session, settings, steps, "The files are in place but the service did not reload", cancellationToken).ConfigureAwait(false)
                ?? DeliveryOutcome.Success($"Certificate {bundle.Description} delivered to {settings.Endpoint}" + (settings.ReloadCommand is null ? "." : " and the service reloaded."));
        }, cancellationToken);
    }

    /// <summary>
    /// Puts back the files the last delivery replaced (kept on the box as PATH.previous) and reruns the reload command;
    /// <paramref name="previous"/> is not needed. Meant after a delivery whose files are in place (reload or verification
    /// failed): a delivery that failed earlier changed nothing, and restoring then would bring back older files.
    /// </summary>
    public Task<DeliveryOutcome> RestoreAsync(DeliveryTarget target, DeliveryBundle? previous, CancellationToken cancellationToken) =>
        WithSessionAsync(target, "restore", async (session, settings, steps) =>
        {
            var install = new SshFileInstall(session, settings, steps);
            if (install.Restore(settings.Paths) is { } failure)
            {
                return failure;
            }

            return await ReloadAsync(session, settings, steps, "The previous files are back but the service did not reload", cancellationToken).ConfigureAwait(false)
                ?? DeliveryOutcome.Success($"The previous files are back on {settings.Endpoint}" + (settings.ReloadCommand is null ? "." : " and the service reloaded."));
        }, cancellationToken);

    private async Task<DeliveryOutcome> WithSessionAsync(DeliveryTarget target, string operation,
        Func<SshSession, SshSettings, List<string>, Task<DeliveryOutcome>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (settings, problems) = SshSettings.From(target);
        if (settings is null)
        {
            return DeliveryOutcome.Failed(DeliveryFailure.Settings, string.Join(" ", problems));
        }

        var steps = new List<string>();
        var (session, failure) = await SshSession.OpenAsync(settings, steps, cancellationToken).ConfigureAwait(false);
        DeliveryOutcome outcome;
        Dictionary<string, string> learned = [];
        if (session is null)
        {
            outcome = failure!;
        }
        else
        {
            using (session)
            {
                if (settings.PinnedHostKey is null)
                {
                    learned[SshOptions.HostKey] = session.HostKey;
                    steps.Add($"Pinned the host key {session.HostKey} on first contact.");
                }

                outcome = await work(session, settings, steps).ConfigureAwait(false);
            }
        }

        outcome = outcome with { Steps = steps, Learned = learned };
        if (outcome.Succeeded)
        {
            LogSucceeded(target.BoxName, operation, settings.Endpoint);
        }
        else
        {
            LogFailed(target.BoxName, operation, settings.Endpoint, outcome.Failure!.Value, outcome.Message);
        }

        return outcome;
    }

    private static async Task<DeliveryOutcome?> ReloadAsync(SshSession session, SshSettings settings, List<string> steps, string context, CancellationToken cancellationToken)
    {
        if (settings.ReloadCommand is not { } command)
        {
            steps.Add("No reload command set.");
            return null;
        }

        var result = await session.RunAsync(command, settings.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            steps.Add($"{command} did not finish within {settings.CommandTimeout.TotalSeconds:0} s.");
            return DeliveryOutcome.Failed(DeliveryFailure.Reload, $"{context}: “{command}” did not finish within {settings.CommandTimeout.TotalSeconds:0} s.");
        }

        if (result.ExitCode != 0)
        {
            steps.Add($"{command} exited with {result.ExitCode}: {result.Excerpt()}");
            return DeliveryOutcome.Failed(DeliveryFailure.Reload, $"{context}: “{command}” exited with {result.ExitCode}: {result.Excerpt()}");
        }

        steps.Add($"Ran {command}.");
        return null;
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "SSH {Operation} for box {Box} at {Endpoint} succeeded")]
    private partial void LogSucceeded(string box, string operation, string endpoint);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "SSH {Operation} for box {Box} at {Endpoint} failed ({Failure}): {Reason}")]
    private partial void LogFailed(string box, string operation, string endpoint, DeliveryFailure failure, string reason);
}
