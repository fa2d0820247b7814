using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Pki.Chains;

/// <summary>
/// Orders an unordered bundle as leaf → intermediates → root. A link needs the issuer's subject to equal
/// the certificate's issuer name, key identifiers that agree when both are present, and a signature that
/// verifies: names alone are not proof (two CAs may share a name, a re-keyed CA keeps its name).
/// </summary>
public static class ChainBuilder
{
    /// <summary>Deeper than any real hierarchy (public ones have 2–4 levels); bounds work on crafted input.</summary>
    public const int MaxDepth = 8;

    /// <summary>Finds the leaf (the one certificate that issues none of the others), then orders the rest.</summary>
    public static Result<CertificateChain> Build(IEnumerable<Certificate> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var (unique, duplicates) = Deduplicate(certificates);
        if (unique.Count == 0)
        {
            return Result.Failure<CertificateChain>("No certificates were given.");
        }

        var notIssuers = unique.Where(c => !unique.Any(other => IsIssuerOf(c, other))).ToList();
        var leaves = notIssuers.Where(c => !c.IsCertificateAuthority).ToList();
        var candidates = leaves.Count > 0 ? leaves : notIssuers;
        return candidates.Count switch
        {
            0 => Result.Failure<CertificateChain>("Every certificate issues another one: the certificates form a loop and no leaf can be found."),
            1 => Walk(candidates[0], unique.Where(c => !c.Equals(candidates[0])).ToList(), duplicates),
            _ => Result.Failure<CertificateChain>(
                $"More than one certificate could be the leaf: {string.Join(", ", candidates.Take(4).Select(Quote))}. Give one certificate with its own chain."),
        };
    }

    /// <summary>Orders the issuers of a known leaf (the certificate matching the private key) from the others; the leaf may be among them.</summary>
    public static Result<CertificateChain> Build(Certificate leaf, IEnumerable<Certificate> others)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(others);
        var (unique, duplicates) = Deduplicate(others);
        unique.Remove(leaf);
        return Walk(leaf, unique, duplicates);
    }

    private static Result<CertificateChain> Walk(Certificate leaf, List<Certificate> pool, int duplicates)
    {
        var issuers = new List<Certificate>();
        var current = leaf;
        while (!(current.IsSelfIssued && current.IsSignedBy(current)))
        {
            if (issuers.Count >= MaxDepth)
            {
                return Result.Failure<CertificateChain>($"The chain is longer than {MaxDepth} certificates; that is not a real hierarchy.");
            }

            var next = pool.FirstOrDefault(candidate => IsIssuerOf(candidate, current));
            if (next is null)
            {
                var loop = issuers.Concat([leaf]).FirstOrDefault(used => IsIssuerOf(used, current));
                if (loop is not null)
                {
                    return Result.Failure<CertificateChain>($"The certificates form a loop: {Quote(loop)} and {Quote(current)} issue each other.");
                }

                break;
            }

            issuers.Add(next);
            pool.Remove(next);
            current = next;
        }

        var chain = new CertificateChain(leaf, issuers, pool, duplicates);
        return Check(chain);
    }

    private static Result<CertificateChain> Check(CertificateChain chain)
    {
        var warnings = new List<string>();
        if (chain.DuplicatesDropped > 0)
        {
            warnings.Add($"{chain.DuplicatesDropped} duplicate certificate(s) were dropped.");
        }

        if (!chain.EndsAtRoot)
        {
            var top = chain.Top;
            var namesake = chain.Unrelated.FirstOrDefault(c => c.Parsed.SubjectDN.Equivalent(top.Parsed.IssuerDN, true));
            if (namesake is not null)
            {
                return Result.Failure<CertificateChain>(
                    $"{Quote(top)} names {Quote(namesake)} as its issuer, but that certificate's key did not sign it (a different CA with the same name, or a re-keyed CA).");
            }

            var strayCa = chain.Unrelated.FirstOrDefault(c => c.IsCertificateAuthority);
            if (strayCa is not null)
            {
                return Result.Failure<CertificateChain>(
                    $"The chain is broken: {Quote(top)} was issued by \"{Display.Literal(top.IssuerText)}\", which is missing, so {Quote(strayCa)} does not connect. Add the missing intermediate certificate.");
            }

            warnings.Add($"The chain ends at {Quote(top)}; its issuer \"{Display.Literal(top.IssuerText)}\" is not included. That is normal when it is a root the clients trust; if it is an intermediate CA, add it.");
        }

        foreach (var unrelated in chain.Unrelated)
        {
            warnings.Add($"{Quote(unrelated)} is not part of the leaf's chain and was left out.");
        }

        return Result.Success(chain, warnings);
    }

    internal static bool IsIssuerOf(Certificate issuer, Certificate subject)
    {
        if (issuer.Equals(subject) || !subject.Parsed.IssuerDN.Equivalent(issuer.Parsed.SubjectDN, true))
        {
            return false;
        }

        if (subject.AuthorityKeyIdentifier is { } aki && issuer.SubjectKeyIdentifier is { } ski && !aki.AsSpan().SequenceEqual(ski))
        {
            return false;
        }

        return subject.IsSignedBy(issuer);
    }

    private static (List<Certificate> Unique, int Duplicates) Deduplicate(IEnumerable<Certificate> certificates)
    {
        var unique = new List<Certificate>();
        var duplicates = 0;
        foreach (var certificate in certificates)
        {
            if (unique.Contains(certificate))
            {
                duplicates++;
            }
            else
            {
                unique.Add(certificate);
            }
        }

        return (unique, duplicates);
    }

    private static string Quote(Certificate certificate) => $"\"{Display.Literal(certificate.SubjectText)}\"";
}
