using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Chains;

/// <summary>What gets installed on a box: the leaf, its private key when known, and its issuers nearest first.</summary>
public sealed record CertificateBundle(Certificate Leaf, PrivateKey? Key, IReadOnlyList<Certificate> Chain)
{
    /// <summary>Leaf first, then the issuers.</summary>
    public IReadOnlyList<Certificate> FullChain => [Leaf, .. Chain];

    public string ToFullChainPem() => ChainPem.Write(FullChain);

    public string ToChainPem() => ChainPem.Write(Chain);
}

/// <summary>One input file of a bundle; the name only appears in messages.</summary>
public sealed record BundleFile(string Name, ReadOnlyMemory<byte> Data);
