using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Api;

/// <summary>One row of the list as the API returns it (camelCase JSON); never a key.</summary>
/// <param name="Id">The certificate's id, for <c>GET /api/v1/certificates/{id}</c>.</param>
/// <param name="Description">The operator's description, as on the page.</param>
/// <param name="CommonName">The subject's common name, when it has one.</param>
/// <param name="AlternativeNames">The Subject Alternative Names, each as <c>DNS:name</c> or <c>IP:address</c>.</param>
/// <param name="Issuer">The issuer, as the list shows it.</param>
/// <param name="NotBefore">Valid from.</param>
/// <param name="NotAfter">Valid until.</param>
/// <param name="Key">The key type, such as <c>ECDSA P-256</c> or <c>RSA 2048</c>.</param>
/// <param name="Source">How it came here: <c>Created</c>, <c>Imported</c> or <c>SignedRequest</c> (signed here for a CSR from another box).</param>
/// <param name="IsDefault">Whether the panel serves it on its own HTTPS listener.</param>
/// <param name="IsCertificateAuthority">Whether it is a CA certificate.</param>
/// <param name="HasPrivateKey">Whether the panel holds its private key (never part of an answer here).</param>
/// <param name="ReplacedById">The certificate that a renewal replaced it with, if any.</param>
public sealed record CertificateItem(int Id, string Description, string? CommonName, IReadOnlyList<string> AlternativeNames, string Issuer,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Key, string Source, bool IsDefault, bool IsCertificateAuthority, bool HasPrivateKey,
    int? ReplacedById)
{
    internal static CertificateItem From(CertificateSummary c) => new(c.Id, c.Description, c.CommonName, c.AlternativeNames, c.Issuer, c.NotBefore,
        c.NotAfter, c.KeyDescription, c.Source.ToString(), c.IsDefault, c.IsCertificateAuthority, c.HasPrivateKey, c.ReplacedById);
}

/// <summary>A part of the list and where it sits in the whole, so a script can tell whether it has every row.</summary>
/// <param name="Items">The rows of this part.</param>
/// <param name="Total">How many rows match in all.</param>
/// <param name="Offset">How many rows of the whole come before this part.</param>
/// <param name="Limit">The most rows this part could hold.</param>
public sealed record CertificateList(IReadOnlyList<CertificateItem> Items, int Total, int Offset, int Limit);

/// <summary>
/// One certificate: the details panel's facts and the PEM of the certificate and of its chain (issuers, nearest first).
/// A private key is never part of it; exporting one is a separate call that needs keys:export. The names are written as in
/// the list (<c>DNS:…</c>, <c>IP:…</c>), so a script can compare the two.
/// </summary>
/// <param name="Id">The certificate's id.</param>
/// <param name="Description">The operator's description, as on the page.</param>
/// <param name="Subject">The subject's distinguished name.</param>
/// <param name="Issuer">The issuer's distinguished name.</param>
/// <param name="AlternativeNames">The Subject Alternative Names, each as <c>DNS:name</c> or <c>IP:address</c>.</param>
/// <param name="NotBefore">Valid from.</param>
/// <param name="NotAfter">Valid until.</param>
/// <param name="SerialNumber">The serial number in hexadecimal.</param>
/// <param name="Sha256Fingerprint">The SHA-256 fingerprint of the certificate.</param>
/// <param name="Key">The public key's type, such as <c>ECDSA P-256</c> or <c>RSA 2048</c>.</param>
/// <param name="SignatureAlgorithm">The issuer's signature algorithm.</param>
/// <param name="Source">How it came here: <c>Created</c>, <c>Imported</c> or <c>SignedRequest</c>.</param>
/// <param name="IsDefault">Whether the panel serves it on its own HTTPS listener.</param>
/// <param name="IsCertificateAuthority">Whether it is a CA certificate.</param>
/// <param name="HasPrivateKey">Whether the panel holds its private key.</param>
/// <param name="AuthorityId">When it is the certificate of a CA held here, that CA's id (the <c>authorityId</c> of the calls that issue).</param>
/// <param name="ReplacedById">The certificate that a renewal replaced it with, if any.</param>
/// <param name="CertificatePem">The certificate as PEM.</param>
/// <param name="ChainPem">The issuers' certificates as PEM, nearest first.</param>
public record CertificateDocument(int Id, string Description, string Subject, string Issuer, IReadOnlyList<string> AlternativeNames,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, string SerialNumber, string Sha256Fingerprint, string Key, string SignatureAlgorithm,
    string Source, bool IsDefault, bool IsCertificateAuthority, bool HasPrivateKey, int? AuthorityId, int? ReplacedById, string CertificatePem,
    string ChainPem)
{
    internal static CertificateDocument From(CertificateDetails d) => new(d.Summary.Id, d.Summary.Description, d.Certificate.SubjectText,
        d.Certificate.IssuerText, d.Summary.AlternativeNames, d.Certificate.NotBefore,
        d.Certificate.NotAfter, d.Certificate.SerialNumberHex, d.Certificate.Sha256Fingerprint, d.Certificate.PublicKey.ToString(),
        d.Certificate.SignatureAlgorithmName, d.Summary.Source.ToString(), d.Summary.IsDefault, d.Summary.IsCertificateAuthority, d.Summary.HasPrivateKey,
        d.AuthorityId, d.Summary.ReplacedById, d.Certificate.ToPem(), string.Concat(d.Chain.Select(c => c.ToPem())));
}
