using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Api;

/// <summary>One row of the list as the API returns it (camelCase JSON); never a key.</summary>
public sealed record CertificateItem(int Id, string Description, string? CommonName, IReadOnlyList<string> AlternativeNames, string Issuer,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Key, string Source, bool IsDefault, bool IsCertificateAuthority, bool HasPrivateKey,
    int? ReplacedById)
{
    internal static CertificateItem From(CertificateSummary c) => new(c.Id, c.Description, c.CommonName, c.AlternativeNames, c.Issuer, c.NotBefore,
        c.NotAfter, c.KeyDescription, c.Source.ToString(), c.IsDefault, c.IsCertificateAuthority, c.HasPrivateKey, c.ReplacedById);
}

/// <summary>A part of the list and where it sits in the whole, so a script can tell whether it has every row.</summary>
public sealed record CertificateList(IReadOnlyList<CertificateItem> Items, int Total, int Offset, int Limit);

/// <summary>
/// One certificate: the details panel's facts and the PEM of the certificate and of its chain (issuers, nearest first).
/// A private key is never part of it; exporting one is a separate call that needs keys:export. The names are written as in
/// the list (<c>DNS:…</c>, <c>IP:…</c>), so a script can compare the two.
/// </summary>
public sealed record CertificateDocument(int Id, string Description, string Subject, string Issuer, IReadOnlyList<string> AlternativeNames,
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
