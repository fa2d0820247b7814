using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SynoCertPanel.Core.Boxes;

/// <summary>A box the panel only probes: nothing to log in to, nothing to deliver.</summary>
public sealed class WatchOnlyDelivery : IBoxDelivery
{
    public DeliveryKind Kind => DeliveryKind.None;

    public IReadOnlyList<DeliveryOption> Options { get; } = [];

    public Task<DeliveryOutcome> TestAsync(DeliveryTarget target, CancellationToken cancellationToken) =>
        Task.FromResult(DeliveryOutcome.Success("This box is watched only: there is nothing to log in to. Its endpoints are probed on schedule."));

    public Task<DeliveryOutcome> DeliverAsync(DeliveryTarget target, DeliveryBundle bundle, CancellationToken cancellationToken) =>
        Task.FromResult(DeliveryOutcome.Failed(DeliveryFailure.Settings,
            $"The box {target?.BoxName} is watched only, so the panel cannot put a certificate on it. Choose a delivery method for it first."));

    public Task<DeliveryOutcome> RestoreAsync(DeliveryTarget target, DeliveryBundle? previous, CancellationToken cancellationToken) =>
        Task.FromResult(DeliveryOutcome.Success("Nothing was delivered, so there is nothing to restore."));
}

/// <summary>The delivery methods the panel knows, by kind.</summary>
public sealed class BoxDeliveries(IEnumerable<IBoxDelivery> methods)
{
    private readonly Dictionary<DeliveryKind, IBoxDelivery> _methods = methods.ToDictionary(m => m.Kind);

    public IEnumerable<IBoxDelivery> All => _methods.Values.OrderBy(m => m.Kind);

    /// <summary>Every method this version ships, for the server's container and for the command line (which has none).</summary>
    public static BoxDeliveries Standard(TimeProvider time, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        loggers ??= NullLoggerFactory.Instance;
        return new BoxDeliveries(
        [
            new WatchOnlyDelivery(),
            new Ssh.SshDelivery(loggers.CreateLogger<Ssh.SshDelivery>()),
            new Dsm.DsmDelivery(time),
            new Proxmox.ProxmoxDelivery(time),
            new Panel.PanelDelivery(time),
            new Webhook.WebhookDelivery(time),
        ]);
    }

    public IBoxDelivery? Find(DeliveryKind kind) => _methods.GetValueOrDefault(kind);
}
