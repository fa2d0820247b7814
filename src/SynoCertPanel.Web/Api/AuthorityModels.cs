using System.ComponentModel;
using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Api;

/// <summary>A CA held here, as the Authorities page lists it. Never a key.</summary>
/// <param name="Id">The CA's id, for <c>GET /api/v1/authorities/{id}</c> and <c>authorityId</c> in the calls that issue.</param>
/// <param name="CertificateId">Its certificate's id in the certificate list.</param>
/// <param name="Name">Its common name: the name typed when creating it.</param>
/// <param name="Subject">Its distinguished name.</param>
/// <param name="NotBefore">Valid from.</param>
/// <param name="NotAfter">Valid until; it issues nothing that outlives this.</param>
/// <param name="Key">Its key type, such as <c>ECDSA P-384</c>.</param>
/// <param name="IsRoot">Self-signed: a trust anchor (an intermediate stays one after its root is deleted).</param>
/// <param name="ParentId">The CA held here that signed it; null for a root.</param>
/// <param name="CanSignIntermediates">Its path length allows a CA below it.</param>
/// <param name="IsBootstrap">The root the panel made for itself on its first start.</param>
/// <param name="PermittedDns">The DNS names its name constraints allow, if it has any.</param>
/// <param name="PermittedIpRanges">The IP ranges its name constraints allow, if it has any.</param>
/// <param name="PermitsNoDnsNames">Its name constraints shut out every DNS name (it lists IP ranges only).</param>
/// <param name="PermitsNoIpAddresses">Its name constraints shut out every IP address (it lists DNS names only).</param>
/// <param name="IssuedCount">How many certificates held here it signed.</param>
public sealed record AuthorityItem(int Id, int CertificateId, string Name, string Subject, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Key,
    bool IsRoot, int? ParentId, bool CanSignIntermediates, bool IsBootstrap, IReadOnlyList<string> PermittedDns, IReadOnlyList<string> PermittedIpRanges,
    bool PermitsNoDnsNames, bool PermitsNoIpAddresses, int IssuedCount)
{
    internal static AuthorityItem From(AuthoritySummary a) => new(a.Id, a.CertificateId, a.Name, a.Subject, a.NotBefore, a.NotAfter, a.KeyDescription,
        a.IsRoot, a.ParentId, a.CanSignIntermediates, a.IsBootstrap, a.PermittedDns, a.PermittedIpRanges,
        a.PermitsNoDnsNames, a.PermitsNoIpAddresses, a.IssuedCount);
}

/// <summary>The CAs held here, the operator's own first.</summary>
/// <param name="Items">Every CA held here.</param>
public sealed record AuthorityList(IReadOnlyList<AuthorityItem> Items);

/// <summary>A certificate a CA held here signed, as the Authorities page lists it.</summary>
/// <param name="Id">The certificate's id.</param>
/// <param name="Description">Its description.</param>
/// <param name="Subject">Its subject's distinguished name.</param>
/// <param name="AlternativeNames">Its names, each as <c>DNS:name</c> or <c>IP:address</c>.</param>
/// <param name="NotBefore">Valid from.</param>
/// <param name="NotAfter">Valid until.</param>
/// <param name="Source">How it came here: <c>Created</c> or <c>SignedRequest</c>.</param>
public sealed record IssuedCertificateItem(int Id, string Description, string Subject, IReadOnlyList<string> AlternativeNames, DateTimeOffset NotBefore,
    DateTimeOffset NotAfter, string Source)
{
    internal static IssuedCertificateItem From(IssuedCertificateSummary c) => new(c.Id, c.Description, c.Subject,
        c.AlternativeNames.Length == 0 ? [] : c.AlternativeNames.Split('\n'), c.NotBefore, c.NotAfter, c.Source.ToString());
}

/// <summary>One CA held here: the list's facts, its certificate as PEM (to trust it) and what it signed. Never a key.</summary>
/// <param name="Authority">The CA as the list shows it.</param>
/// <param name="CertificatePem">The CA's certificate as PEM.</param>
/// <param name="Issued">The certificates held here that it signed, oldest first.</param>
public sealed record AuthorityDocument([property: Description("The CA as the list shows it.")] AuthorityItem Authority, string CertificatePem,
    IReadOnlyList<IssuedCertificateItem> Issued);

/// <summary>The examples of the authority calls in the OpenAPI document.</summary>
internal static class AuthorityExamples
{
    private static readonly DateTimeOffset Made = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    public static AuthorityItem Item { get; } = new(1, 2, "Home Root CA", "CN=Home Root CA", Made, Made.AddYears(10), "ECDSA P-384", IsRoot: true,
        ParentId: null, CanSignIntermediates: false, IsBootstrap: false, ["home.arpa"], ["192.168.0.0/16"], PermitsNoDnsNames: false,
        PermitsNoIpAddresses: false, IssuedCount: 3);

    public static AuthorityList List { get; } = new([Item]);

    public static AuthorityDocument Document { get; } = new(Item, "-----BEGIN CERTIFICATE-----\nMIIBtjCCAVugAwIBAgIU…\n-----END CERTIFICATE-----\n",
        [new(7, "NAS web", "CN=nas.home.arpa", ["DNS:nas.home.arpa", "IP:192.168.1.10"], Made, Made.AddDays(397), "Created")]);
}
