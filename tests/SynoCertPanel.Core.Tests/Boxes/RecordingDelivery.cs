using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Core.Tests.Boxes;

/// <summary>
/// A delivery method declaring one plain, one validated and one secret option, for the generic option handling (the
/// store, the CLI's options, the page's fields). It records what it was given and delivers nowhere.
/// </summary>
internal sealed class RecordingDelivery : IBoxDelivery
{
    public DeliveryKind Kind => DeliveryKind.Webhook;

    public IReadOnlyList<DeliveryOption> Options { get; } =
    [
        new("url", "URL", "Where to send it.", Required: true, Validate: v => v.StartsWith("https://", StringComparison.Ordinal) ? null : "The URL must start with https://."),
        new("mode", "Mode", "File mode.", Default: "0600"),
        new("secret", "Shared secret", "Signs each request.", Required: true, Secret: true),
    ];

    public List<DeliveryTarget> Targets { get; } = [];

    public Task<DeliveryOutcome> TestAsync(DeliveryTarget target, CancellationToken cancellationToken)
    {
        Targets.Add(target);
        return Task.FromResult(DeliveryOutcome.Success("reachable", learned: new Dictionary<string, string> { ["mode"] = "0640", ["secret"] = "rotated" }));
    }

    public Task<DeliveryOutcome> DeliverAsync(DeliveryTarget target, DeliveryBundle bundle, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Not used by these tests.");

    public Task<DeliveryOutcome> RestoreAsync(DeliveryTarget target, DeliveryBundle? previous, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Not used by these tests.");
}
