using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;
using BcKeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage;
using BcNameConstraints = Org.BouncyCastle.Asn1.X509.NameConstraints;
using NameConstraints = SynoCertPanel.Pki.Profiles.NameConstraints;

namespace SynoCertPanel.Pki.Issuance;

internal sealed record CertificateDraft(X509Name Subject, SubjectPublicKeyInfo SubjectKey, KeyAlgorithm SubjectAlgorithm, CertificateProfile Profile,
    IReadOnlyList<SubjectAlternativeName> Names, NameConstraints Constraints, DateTimeOffset NotBefore, DateTimeOffset NotAfter)
{
    /// <summary>An http URL of the issuer's CRL to name in a CRL distribution point, when the operator asked for one.</summary>
    public Uri? CrlDistributionPoint { get; init; }
}

/// <summary>Encodes a certificate from a checked draft: the extensions each profile carries, then the signature.</summary>
internal static class CertificateBuilder
{
    public static Certificate Build(CertificateDraft draft, CertificateAuthority? issuer, PrivateKey signingKey)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(SerialNumbers.NewRandom());
        generator.SetSubjectDN(draft.Subject);
        generator.SetIssuerDN(issuer?.Certificate.Parsed.SubjectDN ?? draft.Subject);
        // BouncyCastle writes UTCTime through 2049 and GeneralizedTime from 2050, as RFC 5280 requires.
        generator.SetNotBefore(draft.NotBefore.UtcDateTime);
        generator.SetNotAfter(draft.NotAfter.UtcDateTime);
        generator.SetSubjectPublicKeyInfo(draft.SubjectKey);

        var profile = draft.Profile;
        generator.AddExtension(X509Extensions.BasicConstraints, true, profile.IsCertificateAuthority
            ? profile.PathLength is { } pathLength ? new BasicConstraints(pathLength) : new BasicConstraints(true)
            : new BasicConstraints(false));
        generator.AddExtension(X509Extensions.KeyUsage, true, ToBcKeyUsage(profile.KeyUsagesFor(draft.SubjectAlgorithm)));
        if (profile.ExtendedKeyUsages.Count > 0)
        {
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new Org.BouncyCastle.Asn1.X509.ExtendedKeyUsage(profile.ExtendedKeyUsages
                .Select(u => u == Profiles.ExtendedKeyUsage.ServerAuth ? KeyPurposeID.id_kp_serverAuth : KeyPurposeID.id_kp_clientAuth)));
        }

        var subjectKeyId = X509ExtensionUtilities.CreateSubjectKeyIdentifier(draft.SubjectKey);
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, subjectKeyId);
        var authorityKeyId = issuer?.Certificate.SubjectKeyIdentifier
            ?? (issuer is null ? subjectKeyId.GetKeyIdentifier() : X509ExtensionUtilities.CreateSubjectKeyIdentifier(issuer.Certificate.Parsed.CertificateStructure.SubjectPublicKeyInfo).GetKeyIdentifier());
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));

        if (draft.Names.Count > 0)
        {
            // RFC 5280 §4.2.1.6: with an empty subject, the SANs are the only names and the extension must be critical.
            generator.AddExtension(X509Extensions.SubjectAlternativeName, draft.Subject.GetOidList().Count == 0, ToGeneralNames(draft.Names));
        }

        if (!draft.Constraints.IsEmpty)
        {
            generator.AddExtension(X509Extensions.NameConstraints, true, ToBcNameConstraints(draft.Constraints));
        }

        if (draft.CrlDistributionPoint is { } crl)
        {
            var point = new DistributionPoint(new DistributionPointName(new GeneralNames(
                new GeneralName(GeneralName.UniformResourceIdentifier, new DerIA5String(crl.AbsoluteUri, validate: true)))), null, null);
            generator.AddExtension(X509Extensions.CrlDistributionPoints, false, new CrlDistPoint([point]));
        }

        ISignatureFactory signer = KeyBackends.SignatureFactoryFor(signingKey);
        var certificate = generator.Generate(signer);
        return Certificate.FromDer(certificate.GetEncoded()).Value;
    }

    internal static GeneralNames ToGeneralNames(IEnumerable<SubjectAlternativeName> names) =>
        new(names.Select(ToGeneralName).ToArray());

    private static GeneralName ToGeneralName(SubjectAlternativeName name) => name.Kind switch
    {
        SanKind.Dns => new GeneralName(GeneralName.DnsName, new DerIA5String(name.Value, validate: true)),
        SanKind.IpAddress => new GeneralName(GeneralName.IPAddress, new DerOctetString(name.IpAddressBytes())),
        SanKind.Email => new GeneralName(GeneralName.Rfc822Name, new DerIA5String(name.Value, validate: true)),
        _ => new GeneralName(GeneralName.UniformResourceIdentifier, new DerIA5String(name.Value, validate: true)),
    };

    private static BcKeyUsage ToBcKeyUsage(KeyUsages usages)
    {
        var bits = 0;
        bits |= usages.HasFlag(KeyUsages.DigitalSignature) ? BcKeyUsage.DigitalSignature : 0;
        bits |= usages.HasFlag(KeyUsages.KeyEncipherment) ? BcKeyUsage.KeyEncipherment : 0;
        bits |= usages.HasFlag(KeyUsages.KeyCertSign) ? BcKeyUsage.KeyCertSign : 0;
        bits |= usages.HasFlag(KeyUsages.CrlSign) ? BcKeyUsage.CrlSign : 0;
        return new BcKeyUsage(bits);
    }

    private static BcNameConstraints ToBcNameConstraints(NameConstraints constraints)
    {
        var subtrees = constraints.PermittedDnsSuffixes
            .Select(s => new GeneralSubtree(new GeneralName(GeneralName.DnsName, s)))
            .Concat(constraints.PermittedIpRanges.Select(r => new GeneralSubtree(new GeneralName(GeneralName.IPAddress, new DerOctetString(r.ToAddressAndMask())))))
            .Concat(constraints.ClosesEmailAndUri
                ? [
                    new GeneralSubtree(new GeneralName(GeneralName.Rfc822Name, NameConstraints.ClosedNameForm)),
                    new GeneralSubtree(new GeneralName(GeneralName.UniformResourceIdentifier, NameConstraints.ClosedNameForm)),
                ]
                : [])
            .ToArray();
        GeneralSubtree[] excluded =
        [
            .. constraints.ClosesDnsNames ? [new GeneralSubtree(new GeneralName(GeneralName.DnsName, new DerIA5String(string.Empty)))] : Array.Empty<GeneralSubtree>(),
            .. constraints.ClosesIpAddresses
                ? [
                    new GeneralSubtree(new GeneralName(GeneralName.IPAddress, new DerOctetString(new byte[8]))),
                    new GeneralSubtree(new GeneralName(GeneralName.IPAddress, new DerOctetString(new byte[32]))),
                ]
                : Array.Empty<GeneralSubtree>(),
        ];
        return new BcNameConstraints(new GeneralSubtrees(subtrees), excluded.Length == 0 ? null : new GeneralSubtrees(excluded));
    }
}
