using System.Text;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Formats;

namespace SynoCertPanel.Pki.Chains;

/// <summary>
/// A leaf and its issuers in order (nearest first, the root last when present), as built by
/// <see cref="ChainBuilder"/>, with what was left out of the input and why.
/// </summary>
public sealed record CertificateChain(
    Certificate Leaf,
    IReadOnlyList<Certificate> Issuers,
    IReadOnlyList<Certificate> Unrelated,
    int DuplicatesDropped)
{
    /// <summary>The last certificate is a self-signed root.</summary>
    public bool EndsAtRoot => Top.IsSelfIssued && Top.IsSignedBy(Top);

    /// <summary>The highest certificate present (the root, or the last intermediate, or the leaf).</summary>
    public Certificate Top => Issuers.Count > 0 ? Issuers[^1] : Leaf;

    /// <summary>Leaf first, then the issuers.</summary>
    public IReadOnlyList<Certificate> FullChain => [Leaf, .. Issuers];

    /// <summary>The issuers without a self-signed root: what a server should send after its leaf.</summary>
    public IReadOnlyList<Certificate> IssuersWithoutRoot => EndsAtRoot ? Issuers.Take(Issuers.Count - 1).ToList() : Issuers;

    /// <summary>
    /// Leaf then chain. The root is left out unless asked for: clients must already trust it, so sending it
    /// only costs bytes (RFC 8446 §4.4.2 lets servers omit it).
    /// </summary>
    public string ToFullChainPem(bool includeRoot = false) => ChainPem.Write([Leaf, .. includeRoot ? Issuers : IssuersWithoutRoot]);

    /// <summary>The issuers alone (an appliance's "intermediate certificate" field), nearest first.</summary>
    public string ToChainPem(bool includeRoot = false) => ChainPem.Write(includeRoot ? Issuers : IssuersWithoutRoot);
}

/// <summary>Writes certificates as consecutive PEM blocks, in the order given.</summary>
public static class ChainPem
{
    public static string Write(IEnumerable<Certificate> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var builder = new StringBuilder();
        foreach (var certificate in certificates)
        {
            builder.Append(Pem.Encode(Pem.CertificateLabel, certificate.RawData.Span));
        }

        return builder.ToString();
    }
}
