using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Core.Listener;

/// <summary>An inventory certificate with its opened key and stored chain (issuers, nearest first), ready for a TLS listener.</summary>
public sealed record ServedCertificate(int CertificateId, Certificate Leaf, IReadOnlyList<Certificate> Chain, PrivateKey Key);
