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

        // A DER SET OF is sorted by encoding, and BouncyCastle's DER tagging would sort it; a definite-length (DL)
        // encoding built by hand keeps the chain in the order given (leaf first), as `openssl crl2pkcs7` does and as
        // tools that take the first certificate for the leaf expect.
        var signedData = new DLSequence(
            DerInteger.ValueOf(1),
            new DerSet(),
            new DLSequence(CmsObjectIdentifiers.Data),
            new DLTaggedObject(false, 0, new DLSet(vector)),
            new DerSet());
        return new DLSequence(CmsObjectIdentifiers.SignedData, new DLTaggedObject(true, 0, signedData)).GetEncoded(Asn1Encodable.DL);
    }

    public static string WritePem(IReadOnlyList<Certificate> certificates) => Pem.Encode(Pem.Pkcs7Label, WriteDer(certificates));
}
