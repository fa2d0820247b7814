namespace SynoCertPanel.Core.Boxes;

/// <summary>What a delivery installs on a box, in PEM, with the inventory id it came from.</summary>
/// <param name="CertificateId">The certificate's id in this panel's inventory.</param>
/// <param name="Description">The certificate's description (DSM finds its certificate by it).</param>
/// <param name="CertificatePem">The leaf alone.</param>
/// <param name="IntermediatesPem">Issuers between the leaf and the root, nearest first; empty when the root signed the leaf.</param>
/// <param name="RootPem">The root, when known: not sent in the served chain, but some boxes want it as a file.</param>
/// <param name="PrivateKeyPem">The leaf's key in PKCS#8 PEM.</param>
/// <param name="Sha256Fingerprint">The leaf's SHA-256 fingerprint (hex): what the probe expects the box to serve.</param>
public sealed record DeliveryBundle(
    int CertificateId,
    string Description,
    string CertificatePem,
    string IntermediatesPem,
    string? RootPem,
    string PrivateKeyPem,
    string Sha256Fingerprint)
{
    /// <summary>The leaf followed by its intermediates: what a TLS server sends (nginx's ssl_certificate).</summary>
    public string FullChainPem => CertificatePem.TrimEnd() + "\n" + (IntermediatesPem.Length == 0 ? string.Empty : IntermediatesPem.TrimEnd() + "\n");
}
