namespace SynoCertPanel.Core.Boxes;

/// <summary>
/// One way of putting a certificate on a box. Each method is one small class; the deploy (issue or choose → deliver →
/// verify by TLS handshake → record, or restore) is the same for all and lives in the caller. Methods never throw for
/// what a box can do wrong (down, refused login, full disk): they return a failed <see cref="DeliveryOutcome"/>.
/// </summary>
public interface IBoxDelivery
{
    DeliveryKind Kind { get; }

    /// <summary>The settings this method needs, in the order the page shows them.</summary>
    IReadOnlyList<DeliveryOption> Options { get; }

    /// <summary>Connects and logs in, checks the account may change certificates, and changes nothing.</summary>
    Task<DeliveryOutcome> TestAsync(DeliveryTarget target, CancellationToken cancellationToken);

    /// <summary>Installs the bundle and makes the box serve it (reload, restart, apply).</summary>
    Task<DeliveryOutcome> DeliverAsync(DeliveryTarget target, DeliveryBundle bundle, CancellationToken cancellationToken);

    /// <summary>
    /// Undoes the last <see cref="DeliverAsync"/> after verification failed: puts back what it replaced (SSH: the files it
    /// kept; DSM and others: <paramref name="previous"/> delivered again). <paramref name="previous"/> is null when the
    /// box's previous certificate is not held here; a method that then cannot restore says so.
    /// </summary>
    Task<DeliveryOutcome> RestoreAsync(DeliveryTarget target, DeliveryBundle? previous, CancellationToken cancellationToken);
}
