using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>Writes certificates as a degenerate PKCS#7 SignedData (no signers): the .p7b Windows imports as a chain.</summary>
public static class Pkcs7Writer
{
    public static byte[] WriteDer(IReadOnlyList<Certificate> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        if (certificates.Count == 0)
        {
            throw new ArgumentException("A PKCS#7 chain needs at least one certificate.", nameof(certificates));
        }

        var vector = new Asn1EncodableVector();
        foreach (var certificate in certificates)
        {
            vector.Add(certificate.Parsed.CertificateStructure);
        }

        // A DER SET OF would be sorted by encoding; DLSet keeps the chain in the order given (leaf first), which is
        // what `openssl crl2pkcs7` does and what tools that read the first certificate as the leaf expect.
        var signedData = new SignedData(
            DerInteger.ValueOf(1),
            new DerSet(),
            new ContentInfo(CmsObjectIdentifiers.Data, null),
            new DLSet(vector),
            null,
            new DerSet());
        return new ContentInfo(CmsObjectIdentifiers.SignedData, signedData).GetEncoded(Asn1Encodable.DL);
    }

    public static string WritePem(IReadOnlyList<Certificate> certificates) => Pem.Encode(Pem.Pkcs7Label, WriteDer(certificates));
}
