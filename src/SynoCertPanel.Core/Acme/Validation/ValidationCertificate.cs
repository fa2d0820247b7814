using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace SynoCertPanel.Core.Acme.Validation;

/// <summary>Reads what a tls-alpn-01 validation certificate (RFC 8737 §3) must carry, without trusting its encoding.</summary>
internal static class ValidationCertificate
{
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>
    /// Every subjectAltName entry across the certificate's SAN extensions, as "DNS name x", "IP address y" or
    /// "another kind of name"; null when an extension cannot be read.
    /// </summary>
    public static IReadOnlyList<string>? SubjectAlternativeNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        var found = false;
        foreach (var extension in certificate.Extensions.Cast<X509Extension>().Where(e => e.Oid?.Value == SubjectAltNameOid))
        {
            found = true;
            try
            {
                var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
                var sequence = reader.ReadSequence();
                reader.ThrowIfNotEmpty();
                while (sequence.HasData)
                {
                    var tag = sequence.PeekTag();
                    if (tag == new Asn1Tag(TagClass.ContextSpecific, 2))
                    {
                        names.Add("DNS name " + sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    }
                    else if (tag == new Asn1Tag(TagClass.ContextSpecific, 7))
                    {
                        var bytes = sequence.ReadOctetString(tag);
                        names.Add(bytes.Length is 4 or 16 ? "IP address " + new IPAddress(bytes) : "a malformed IP address");
                    }
                    else
                    {
                        sequence.ReadEncodedValue();
                        names.Add("another kind of name");
                    }
                }
            }
            catch (AsnContentException)
            {
                return null;
            }
        }

        return found ? names : null;
    }

    /// <summary>The SHA-256 digest inside an id-pe-acmeIdentifier extension value (DER OCTET STRING of 32 bytes), or null.</summary>
    public static byte[]? AcmeIdentifierDigest(byte[] extensionValue)
    {
        try
        {
            var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
            var digest = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
            return digest.Length == 32 ? digest : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
