using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509.Extension;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using BcNameConstraints = Org.BouncyCastle.Asn1.X509.NameConstraints;

namespace SynoCertPanel.Pki.Certificates;

/// <summary>Reads the extensions the panel shows and checks from a parsed certificate.</summary>
internal static class CertificateExtensions
{
    public static IReadOnlyList<SubjectAlternativeName> ReadSubjectAlternativeNames(BcCertificate certificate, out IReadOnlyList<string> unsupported)
    {
        var value = certificate.GetExtensionValue(X509Extensions.SubjectAlternativeName);
        if (value is null)
        {
            unsupported = [];
            return [];
        }

        return FromGeneralNames(GeneralNames.GetInstance(X509ExtensionUtilities.FromExtensionValue(value)), out unsupported);
    }

    /// <summary>
    /// Converts encoded names to ours. Names are taken as the certificate carries them (an issued
    /// certificate may predate our rules), so an entry we would refuse to issue is still shown.
    /// </summary>
    public static IReadOnlyList<SubjectAlternativeName> FromGeneralNames(GeneralNames names, out IReadOnlyList<string> unsupported)
    {
        var result = new List<SubjectAlternativeName>();
        var other = new List<string>();
        foreach (var name in names.GetNames())
        {
            switch (name.TagNo)
            {
                case GeneralName.DnsName:
                    // Decoded from the octets: GetString() turns non-ASCII bytes into '?', hiding a raw UTF-8 name.
                    var dns = System.Text.Encoding.UTF8.GetString(DerIA5String.GetInstance(name.Name).GetOctets());
                    var parsedDns = SanParser.ParseDnsName(dns);
                    // Raw Unicode is kept as carried (not converted to xn--): clients match only A-labels, so it is a fault to show.
                    result.Add(parsedDns.IsSuccess && dns.All(char.IsAscii)
                        ? parsedDns.Value
                        : SubjectAlternativeName.Create(SanKind.Dns, dns, Display.Literal(dns, 300)));
                    break;
                case GeneralName.IPAddress:
                    var bytes = Asn1OctetString.GetInstance(name.Name).GetOctets();
                    if (bytes.Length is 4 or 16)
                    {
                        var text = new IPAddress(bytes).ToString();
                        result.Add(SubjectAlternativeName.Create(SanKind.IpAddress, text, text));
                    }
                    else
                    {
                        other.Add($"IP address of {bytes.Length} bytes (invalid)");
                    }

                    break;
                case GeneralName.Rfc822Name:
                    var mail = DerIA5String.GetInstance(name.Name).GetString();
                    result.Add(SubjectAlternativeName.Create(SanKind.Email, mail, Display.Literal(mail, 300)));
                    break;
                case GeneralName.UniformResourceIdentifier:
                    var uri = DerIA5String.GetInstance(name.Name).GetString();
                    result.Add(SubjectAlternativeName.Create(SanKind.Uri, uri, Display.Literal(uri, 300)));
                    break;
                default:
                    other.Add(name.TagNo switch
                    {
                        GeneralName.OtherName => "otherName",
                        GeneralName.DirectoryName => "directoryName",
                        GeneralName.RegisteredID => "registeredID",
                        _ => $"name of type {name.TagNo}",
                    });
                    break;
            }
        }

        unsupported = other;
        return result;
    }

    public static KeyUsages? ReadKeyUsages(BcCertificate certificate)
    {
        var bits = certificate.GetKeyUsage();
        if (bits is null)
        {
            return null;
        }

        var usages = Profiles.KeyUsages.None;
        // RFC 5280 bit order: digitalSignature(0), nonRepudiation(1), keyEncipherment(2), dataEncipherment(3),
        // keyAgreement(4), keyCertSign(5), cRLSign(6).
        if (bits.Length > 0 && bits[0])
        {
            usages |= Profiles.KeyUsages.DigitalSignature;
        }

        if (bits.Length > 2 && bits[2])
        {
            usages |= Profiles.KeyUsages.KeyEncipherment;
        }

        if (bits.Length > 5 && bits[5])
        {
            usages |= Profiles.KeyUsages.KeyCertSign;
        }

        if (bits.Length > 6 && bits[6])
        {
            usages |= Profiles.KeyUsages.CrlSign;
        }

        return usages;
    }

    public static IReadOnlyList<string>? ReadExtendedKeyUsages(BcCertificate certificate)
    {
        var value = certificate.GetExtensionValue(X509Extensions.ExtendedKeyUsage);
        if (value is null)
        {
            return null;
        }

        var eku = Org.BouncyCastle.Asn1.X509.ExtendedKeyUsage.GetInstance(X509ExtensionUtilities.FromExtensionValue(value));
        return eku.GetAllUsages().Select(u => u.Id).ToList();
    }

    public static byte[]? ReadSubjectKeyIdentifier(BcCertificate certificate)
    {
        var value = certificate.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
        return value is null ? null : SubjectKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(value)).GetKeyIdentifier();
    }

    public static byte[]? ReadAuthorityKeyIdentifier(BcCertificate certificate)
    {
        var value = certificate.GetExtensionValue(X509Extensions.AuthorityKeyIdentifier);
        return value is null ? null : AuthorityKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(value)).KeyIdentifier?.GetOctets();
    }

    public static Profiles.NameConstraints? ReadNameConstraints(BcCertificate certificate)
    {
        var value = certificate.GetExtensionValue(X509Extensions.NameConstraints);
        if (value is null)
        {
            return null;
        }

        var constraints = BcNameConstraints.GetInstance(X509ExtensionUtilities.FromExtensionValue(value));
        var dns = new List<string>();
        var ranges = new List<IpRange>();
        var closed = new HashSet<int>();
        foreach (var subtree in constraints.PermittedSubtreesValue?.GetElements() ?? [])
        {
            var name = subtree.Base;
            if (name.TagNo == GeneralName.DnsName)
            {
                dns.Add(DerIA5String.GetInstance(name.Name).GetString());
            }
            else if (name.TagNo is GeneralName.Rfc822Name or GeneralName.UniformResourceIdentifier
                && DerIA5String.GetInstance(name.Name).GetString() == Profiles.NameConstraints.ClosedNameForm)
            {
                closed.Add(name.TagNo);
            }
            else if (name.TagNo == GeneralName.IPAddress)
            {
                var bytes = Asn1OctetString.GetInstance(name.Name).GetOctets();
                if (bytes.Length is 8 or 32)
                {
                    var half = bytes.Length / 2;
                    var prefix = bytes[half..].Sum(b => System.Numerics.BitOperations.PopCount(b));
                    ranges.Add(new IpRange(new IPAddress(bytes[..half]), prefix));
                }
            }
        }

        var excludedIp = new HashSet<int>();
        var excludedDns = false;
        foreach (var subtree in constraints.ExcludedSubtreesValue?.GetElements() ?? [])
        {
            var name = subtree.Base;
            if (name.TagNo == GeneralName.DnsName && DerIA5String.GetInstance(name.Name).GetString().Length == 0)
            {
                excludedDns = true;
            }
            else if (name.TagNo == GeneralName.IPAddress && Asn1OctetString.GetInstance(name.Name).GetOctets() is { Length: 8 or 32 } bytes
                && bytes.All(b => b == 0))
            {
                excludedIp.Add(bytes.Length);
            }
        }

        return new Profiles.NameConstraints(dns, ranges)
        {
            ClosesEmailAndUri = closed.Count == 2,
            ClosesDnsNames = excludedDns,
            ClosesIpAddresses = excludedIp.Count == 2,
        };
    }
}
