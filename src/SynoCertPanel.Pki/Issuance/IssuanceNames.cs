using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Pki.Issuance;

/// <summary>The names a leaf will carry: checked again, the common name mirrored, and held to the CA's constraints.</summary>
internal static class IssuanceNames
{
    public sealed record CompletedNames(DistinguishedName Subject, IReadOnlyList<SubjectAlternativeName> Names);

    /// <summary>
    /// Browsers read only the SANs, so the CN is repeated there; and a CN is kept (the first name when none
    /// is given) because iOS lists CN-less certificates badly and Synology's import wants one (mkcert #233).
    /// </summary>
    public static Result<CompletedNames> Complete(DistinguishedName subject, IReadOnlyList<SubjectAlternativeName> names,
        bool requireHostName)
    {
        // Names read from an existing certificate or request are as that file carried them: check each
        // again, so nothing this issuer signs holds a name it would refuse if typed.
        var rechecked = SanParser.ParseAll(names.Select(n => n.ToString()));
        if (!rechecked.IsSuccess)
        {
            return Result.Failure<CompletedNames>(rechecked.Error!);
        }

        var all = rechecked.Value.ToList();
        if (subject.CommonName is { } cn)
        {
            var parsed = SubjectAlternativeName.Parse(cn);
            if (parsed.IsSuccess && parsed.Value.Kind is SanKind.Dns or SanKind.IpAddress && !all.Contains(parsed.Value))
            {
                all.Insert(0, parsed.Value);
            }
        }

        // TLS clients match hosts on DNS and IP names only; an e-mail or URI name in a server certificate serves
        // nothing and would be vouched for by the CA all the same. Client certificates may carry them.
        if (requireHostName && all.FirstOrDefault(n => n.Kind is not (SanKind.Dns or SanKind.IpAddress)) is { } other)
        {
            return Result.Failure<CompletedNames>(
                $"Server certificates carry DNS names and IP addresses only; remove \"{Display.Literal(other.ToString())}\".");
        }

        // A server certificate with no name matches no host: every browser would refuse it.
        if (all.Count == 0 || (requireHostName && !all.Any(n => n.Kind is SanKind.Dns or SanKind.IpAddress)))
        {
            return Result.Failure<CompletedNames>(
                "The certificate needs at least one DNS name or IP address: browsers ignore the common name and read only these.");
        }

        if (all.Count > SanParser.MaxEntries)
        {
            return Result.Failure<CompletedNames>($"Too many names: at most {SanParser.MaxEntries} entries fit in one certificate.");
        }

        if (subject.CommonName is null)
        {
            var first = all.FirstOrDefault(n => n.Kind is SanKind.Dns or SanKind.IpAddress && n.Value.Length <= DistinguishedName.MaxCommonName);
            subject = subject with { CommonName = first?.Value };
        }

        return Result.Success(new CompletedNames(subject, all));
    }

    /// <summary>
    /// The subject as issued under <paramref name="issuer"/>: an IP address as common name is left out when a CA on the
    /// path permits only some DNS names (or none), because OpenSSL checks a certificate's CN against the DNS constraints when it has
    /// no DNS name among its SANs, and "192.168.1.20" reads to it as a host name outside them (X509_V_ERR_PERMITTED_VIOLATION).
    /// The SAN extension is then critical (RFC 5280 §4.2.1.6), as for any subject left empty.
    /// </summary>
    public static DistinguishedName SubjectUnder(CertificateAuthority issuer, DistinguishedName subject) =>
        subject.CommonName is { } cn && System.Net.IPAddress.TryParse(cn, out _)
            && issuer.ChainForIssued.Any(a => a.NameConstraints is { PermittedDnsSuffixes.Count: > 0 } or { ClosesDnsNames: true })
            ? subject with { CommonName = null }
            : subject;

    public static bool IsServer(CertificateProfile profile) => profile.ExtendedKeyUsages.Contains(Profiles.ExtendedKeyUsage.ServerAuth);

    /// <summary>True when a CA on the issuer's path permits no e-mail address: the subject may not carry one either.</summary>
    public static bool ClosesEmail(CertificateAuthority issuer) =>
        issuer.ChainForIssued.Any(a => a.NameConstraints is { ClosesEmailAndUri: true });

    public static string? CheckConstraints(CertificateAuthority issuer, IReadOnlyList<SubjectAlternativeName> names, DistinguishedName subject)
    {
        if (subject.Email is { } email && ClosesEmail(issuer))
        {
            return $"The subject's e-mail address \"{Display.Literal(email)}\" is outside what the CA may certify (it permits no e-mail addresses); leave it out.";
        }

        foreach (var authority in issuer.ChainForIssued)
        {
            if (authority.NameConstraints is not { IsEmpty: false } constraints)
            {
                continue;
            }

            var outside = names.FirstOrDefault(n => !constraints.Permits(n));
            if (outside is not null)
            {
                return $"\"{Display.Literal(outside.DisplayValue)}\" is outside what the CA \"{Display.Literal(authority.SubjectText)}\" may certify "
                    + $"({constraints.Describe()}); browsers would reject it.";
            }
        }

        return null;
    }
}
