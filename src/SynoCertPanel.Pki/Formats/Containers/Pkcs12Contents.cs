using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>
/// What a PKCS#12 file held: the certificate its key belongs to, the key, and the other certificates
/// (the leaf's issuers nearest first where they can be linked, then any others).
/// </summary>
public sealed record Pkcs12Contents(Certificate Leaf, PrivateKey Key, IReadOnlyList<Certificate> Chain);
