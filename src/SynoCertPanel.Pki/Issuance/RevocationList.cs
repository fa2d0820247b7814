using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Issuance;

/// <summary>One revoked certificate as a CRL lists it.</summary>
/// <param name="SerialNumberHex">The serial in hexadecimal, as the inventory keeps it.</param>
/// <param name="RevokedAt">When it was revoked.</param>
/// <param name="Reason">The RFC 5280 §5.3.1 CRLReason code (0 unspecified is written as no reason at all, as §5.3.1 asks).</param>
public sealed record RevokedEntry(string SerialNumberHex, DateTimeOffset RevokedAt, int Reason);

/// <summary>
/// A version 2 CRL (RFC 5280 §5) signed by a CA held here: its revoked certificates with their reasons, this and the
/// next update, the CRL number and the authority key identifier that ties it to the CA's key.
/// </summary>
public static class RevocationList
{
    public static byte[] Build(CertificateAuthority issuer, IEnumerable<RevokedEntry> revoked, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate,
        long crlNumber)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(revoked);
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(issuer.Certificate.Parsed.SubjectDN);
        generator.SetThisUpdate(thisUpdate.UtcDateTime);
        generator.SetNextUpdate(nextUpdate.UtcDateTime);
        foreach (var entry in revoked)
        {
            var serial = new BigInteger(entry.SerialNumberHex, 16);
            // BouncyCastle writes no reason for 0, as RFC 5280 §5.3.1 asks ("SHOULD be absent instead of using the unspecified (0) value").
            generator.AddCrlEntry(serial, entry.RevokedAt.UtcDateTime, entry.Reason);
        }

        var authorityKeyId = issuer.Certificate.SubjectKeyIdentifier
            ?? X509ExtensionUtilities.CreateSubjectKeyIdentifier(issuer.Certificate.Parsed.CertificateStructure.SubjectPublicKeyInfo).GetKeyIdentifier();
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.ValueOf(crlNumber)));
        return generator.Generate(KeyBackends.SignatureFactoryFor(issuer.Key)).GetEncoded();
    }
}
