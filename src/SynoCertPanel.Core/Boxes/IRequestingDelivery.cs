namespace SynoCertPanel.Core.Boxes;

/// <summary>
/// A delivery method whose box makes its own key, which never leaves it: the box writes a certificate signing request for
/// the box's names, a CA held here signs it (with the same checks as "Sign CSR"), and the box installs the signed
/// certificate onto the request's key and serves it. <see cref="DeployService"/> takes this path for such a box, which
/// therefore needs a CA held here; <see cref="IBoxDelivery.DeliverAsync"/> and <see cref="IBoxDelivery.RestoreAsync"/>
/// (which carry a key from here) are not used for it. Like every method, these never throw for what the box does wrong.
/// </summary>
public interface IRequestingDelivery : IBoxDelivery
{
    /// <summary>
    /// Asks the box for a CSR for <paramref name="names"/> (DNS names and IP addresses) and learns what it serves now, so a
    /// failed verification can put that back. Changes nothing the box serves.
    /// </summary>
    Task<BoxRequestOutcome> RequestAsync(DeliveryTarget target, IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>Installs the certificate signed for <paramref name="request"/> and its chain onto the request's key, and makes the box serve it.</summary>
    Task<DeliveryOutcome> InstallAsync(DeliveryTarget target, BoxRequest request, SignedForBox certificate, CancellationToken cancellationToken);

    /// <summary>After a failed verification: makes the box serve again what it served before <see cref="InstallAsync"/>.</summary>
    Task<DeliveryOutcome> RestoreServedAsync(DeliveryTarget target, BoxRequest request, CancellationToken cancellationToken);

    /// <summary>When nothing was signed for it: withdraws the request, so the box does not keep a key nobody will use.</summary>
    Task<DeliveryOutcome> WithdrawAsync(DeliveryTarget target, BoxRequest request, CancellationToken cancellationToken);
}

/// <summary>A CSR the box made, and what the method needs to find it and to undo the install there.</summary>
/// <param name="CsrPem">The PKCS#10 request, PEM.</param>
/// <param name="Handle">What the box calls the request (the home of its key there).</param>
/// <param name="Served">What the box served before, to put back after a failed verification; null when it served nothing the method can name.</param>
public sealed record BoxRequest(string CsrPem, string Handle, string? Served);

/// <summary>The result of <see cref="IRequestingDelivery.RequestAsync"/>: the outcome, and the request when it succeeded.</summary>
public sealed record BoxRequestOutcome(DeliveryOutcome Outcome, BoxRequest? Request);

/// <summary>The certificate signed here for a box's request, as the box imports it (no key: the box holds it).</summary>
/// <param name="CertificateId">Its id in this panel's inventory (source SignedRequest).</param>
/// <param name="Description">The description it has here.</param>
/// <param name="CertificatePem">The leaf.</param>
/// <param name="ChainPem">Its issuers up to the root, nearest first.</param>
/// <param name="Sha256Fingerprint">The leaf's SHA-256 (hex): what verification expects the box to serve.</param>
public sealed record SignedForBox(int CertificateId, string Description, string CertificatePem, string ChainPem, string Sha256Fingerprint);
