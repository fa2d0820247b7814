namespace SynoCertPanel.Web.Api;

/// <summary>The examples of the certificate calls in the OpenAPI document, as the types the calls return, so their names cannot drift.</summary>
internal static class CertificateExamples
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIBkTCCATegAwIBAgIU…\n-----END CERTIFICATE-----\n";

    private static readonly DateTimeOffset Issued = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);

    public static CertificateItem Item { get; } = new(7, "NAS web", "nas.home.arpa", ["DNS:nas.home.arpa", "IP:192.168.1.10"], "Home Root CA",
        Issued, Issued.AddDays(397), "ECDSA P-256", "Created", IsDefault: true, IsCertificateAuthority: false, HasPrivateKey: true, ReplacedById: null);

    public static CertificateList List { get; } = new([Item], Total: 1, Offset: 0, Limit: CertificateListParameters.DefaultLimit);

    public static CertificateDocument Document { get; } = new(7, "NAS web", "CN=nas.home.arpa", "CN=Home Root CA",
        ["DNS:nas.home.arpa", "IP:192.168.1.10"], Issued, Issued.AddDays(397), "5A0F3C9E21D4B7A8",
        "3FA10C…9E", "ECDSA P-256", "ecdsa-with-SHA256", "Created", IsDefault: true, IsCertificateAuthority: false, HasPrivateKey: true,
        AuthorityId: null, ReplacedById: null, Pem, Pem);

    public static CreateCertificateBody Create { get; } = new()
    {
        AlternativeNames = ["printer.home.arpa", "192.168.1.20"],
        AuthorityId = 1,
        ValidityDays = 397,
        Description = "Printer",
    };
}
