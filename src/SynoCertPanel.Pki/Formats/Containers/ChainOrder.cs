using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>
/// Puts certificates found in a container in path order (the leaf's issuer first, then its issuer, …).
/// Containers do not promise an order; certificates that link to nothing keep their place at the end.
/// This is ordering only, not validation: chain building and trust are decided elsewhere.
/// </summary>
internal static class ChainOrder
{
    public static IReadOnlyList<Certificate> IssuersFirst(Certificate leaf, IReadOnlyList<Certificate> others)
    {
        var remaining = others.Distinct().Where(c => !c.Equals(leaf)).ToList();
        var ordered = new List<Certificate>(remaining.Count);
        var current = leaf;
        while (!current.IsSelfIssued)
        {
            var issuer = remaining.FirstOrDefault(c => c.SubjectText == current.IssuerText && current.IsSignedBy(c));
            if (issuer is null)
            {
                break;
            }

            ordered.Add(issuer);
            remaining.Remove(issuer);
            current = issuer;
        }

        ordered.AddRange(remaining);
        return ordered;
    }
}
