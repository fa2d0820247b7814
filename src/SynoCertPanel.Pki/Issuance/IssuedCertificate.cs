using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Issuance;

/// <summary>A certificate just made, with its private key and the chain of issuers above it (nearest first).</summary>
public sealed record IssuedCertificate(Certificate Certificate, PrivateKey? Key, IReadOnlyList<Certificate> Chain)
{
    /// <summary>Leaf first, then the issuers: what a TLS server sends.</summary>
    public IReadOnlyList<Certificate> FullChain => [Certificate, .. Chain];
}
