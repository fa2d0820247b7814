using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Core.Listener;

/// <summary>
/// An inventory certificate with its opened key and stored chain (issuers, nearest first), ready for a TLS listener.
/// Loading it reads only the encodings, with .NET alone; <see cref="Leaf"/> and <see cref="Chain"/> are parsed when first
/// asked for (an apply's checks, the trust page), so a panel that restarts and sits idle never loads BouncyCastle.
/// </summary>
public sealed class ServedCertificate
{
    private readonly Lazy<Certificate> _leaf;
    private readonly Lazy<IReadOnlyList<Certificate>> _chain;

    public ServedCertificate(int certificateId, ReadOnlyMemory<byte> leafDer, IReadOnlyList<ReadOnlyMemory<byte>> chainDer, string subjectText, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(chainDer);
        CertificateId = certificateId;
        LeafDer = leafDer;
        ChainDer = chainDer;
        SubjectText = subjectText;
        Key = key;
        // Stored only after these parsed once (Records.ToRecord), so a failure here is a bug, not input.
        _leaf = new(() => Certificate.FromDer(leafDer.Span).Value);
        _chain = new(() => chainDer.Select(der => Certificate.FromDer(der.Span).Value).ToList());
    }

    public int CertificateId { get; }

    public ReadOnlyMemory<byte> LeafDer { get; }

    /// <summary>The stored issuers, nearest first (the root included when it was stored).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> ChainDer { get; }

    /// <summary>The leaf's subject as the inventory shows it.</summary>
    public string SubjectText { get; }

    public PrivateKey Key { get; }

    public Certificate Leaf => _leaf.Value;

    public IReadOnlyList<Certificate> Chain => _chain.Value;
}
