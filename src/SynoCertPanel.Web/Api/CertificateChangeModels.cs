using System.ComponentModel;

namespace SynoCertPanel.Web.Api;

/// <summary>The body of <c>POST /api/v1/certificates/{id}/renew</c>; every field is optional, as on the Renew page.</summary>
public sealed record RenewCertificateBody
{
    /// <summary>The new certificate's validity in days; the old one's lifetime capped by the profile when unset.</summary>
    public int? ValidityDays { get; init; }

    /// <summary>The new key's type (<c>p256</c>, <c>p384</c>, <c>rsa2048</c>, <c>rsa3072</c>, <c>rsa4096</c>); the old one's when unset.</summary>
    public string? Key { get; init; }

    /// <summary>Serve the new certificate on the panel's listener; implied when the old one is served, as the new one takes its place.</summary>
    public bool? SetAsDefault { get; init; }

    /// <summary>Serve it even if it does not cover the host name this call reached the panel by (the page's confirmation).</summary>
    public bool? Confirmed { get; init; }
}

/// <summary>The body of <c>POST /api/v1/certificates/{id}/default</c>; it may be left out.</summary>
public sealed record SetDefaultBody
{
    /// <summary>Serve it even if it does not cover the host name this call reached the panel by (the page's confirmation).</summary>
    public bool? Confirmed { get; init; }
}

/// <summary>The body of <c>POST /api/v1/certificates/sign</c>: the Sign CSR wizard's choices.</summary>
public sealed record SignRequestBody
{
    /// <summary>The certificate signing request (PKCS#10) as PEM, made on another box.</summary>
    public string? Csr { get; init; }

    /// <summary>The CA held here that signs; the wizard's choice when unset (the only CA of yours, else the one that signed last).</summary>
    public int? AuthorityId { get; init; }

    /// <summary>The certificate's validity in days; the server profile's default when unset.</summary>
    public int? ValidityDays { get; init; }

    /// <summary>The DNS names and IP addresses to certify instead of the request's own.</summary>
    public IReadOnlyList<string>? AlternativeNames { get; init; }

    /// <summary>The description the list shows; the request's common name or first name when unset.</summary>
    public string? Description { get; init; }
}

/// <summary>
/// A renewal: the new certificate, issued at once when its CA is held here, or else a pending request whose CSR goes to
/// the CA that issued the old one. Never a key.
/// </summary>
/// <param name="Renews">The id of the certificate renewed; it is kept, marked replaced by the new one.</param>
/// <param name="Certificate">The new certificate, when its CA is held here.</param>
/// <param name="Request">The pending request, when its CA is not held here.</param>
/// <param name="DefaultRequested">The new certificate was to be served on the panel's listener (asked, or the old one was served).</param>
/// <param name="DefaultError">Why the listener's pre-flight refused to serve it, if it did; the renewal itself stands.</param>
/// <param name="Warnings">What the issuing lint and the pre-flight warned about.</param>
// The descriptions of the nested documents are attributes too: the OpenAPI generator writes an XML comment onto the schema
// a property refers to, not beside the reference (github.com/dotnet/aspnetcore/pull/63177).
public sealed record RenewalDocument(int Renews,
    [property: Description("The new certificate, when its CA is held here.")] CertificateDocument? Certificate,
    [property: Description("The pending request, when its CA is not held here.")] PendingRequestDocument? Request, bool DefaultRequested,
    string? DefaultError, IReadOnlyList<string> Warnings);

/// <summary>The certificate the panel's HTTPS listener now serves.</summary>
/// <param name="CertificateId">The certificate now served.</param>
/// <param name="PreviousCertificateId">The certificate served before, when a listener was switched.</param>
/// <param name="Sha256Fingerprint">The fingerprint a TLS handshake confirmed, when a listener was switched.</param>
/// <param name="Warnings">What the pre-flight warned about.</param>
public sealed record DefaultCertificateDocument(int CertificateId, int? PreviousCertificateId, string? Sha256Fingerprint, IReadOnlyList<string> Warnings);

/// <summary>A deleted certificate.</summary>
/// <param name="Id">The certificate's id.</param>
/// <param name="KeyDestroyed">Its private key went with it (nothing else here used the key).</param>
public sealed record DeletedCertificateDocument(int Id, bool KeyDestroyed);

/// <summary>The examples of the calls that change certificates, as the types they take and return.</summary>
internal static class CertificateChangeExamples
{
    public static RenewCertificateBody Renew { get; } = new() { ValidityDays = 397, Key = "p256" };

    public static RenewalDocument Renewed { get; } = new(7, CertificateExamples.Document with { Id = 12 }, null, DefaultRequested: true, DefaultError: null, []);

    public static SetDefaultBody SetDefault { get; } = new() { Confirmed = false };

    public static DefaultCertificateDocument Default { get; } = new(12, 7, "3FA10C5E…9E", []);

    public static DeletedCertificateDocument Deleted { get; } = new(7, KeyDestroyed: true);

    public static SignRequestBody Sign { get; } = new()
    {
        Csr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIBDzCBtgIBADAYMRYwFAYDVQQDDA1uYXMuaG9tZS5hcnBh…\n-----END CERTIFICATE REQUEST-----\n",
        AuthorityId = 1,
        ValidityDays = 397,
        AlternativeNames = ["nas2.home.arpa", "192.168.1.12"],
        Description = "Second NAS",
    };

    public static CertificateDocument Signed { get; } = CertificateExamples.Document with
    {
        Id = 13,
        Description = "Second NAS",
        Subject = "CN=nas2.home.arpa",
        AlternativeNames = ["DNS:nas2.home.arpa", "IP:192.168.1.12"],
        Source = "SignedRequest",
        IsDefault = false,
        HasPrivateKey = false,
    };
}
