using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Components.Wizards;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// The body of <c>POST /api/v1/requests</c>: the Create CSR wizard's fields. The key is made and kept here, sealed; the
/// answer carries only the CSR.
/// </summary>
public sealed record CreateRequestBody
{
    /// <summary>The subject's common name; optional, as in the wizard (browsers read only the alternative names).</summary>
    public string? CommonName { get; init; }

    /// <summary>The subject's organisation (O), optional.</summary>
    public string? Organization { get; init; }

    /// <summary>The subject's organisational unit (OU), optional.</summary>
    public string? OrganizationalUnit { get; init; }

    /// <summary>The subject's locality (L), optional.</summary>
    public string? Locality { get; init; }

    /// <summary>The subject's state or province (ST), optional.</summary>
    public string? State { get; init; }

    /// <summary>The subject's two-letter country code (C), optional.</summary>
    public string? Country { get; init; }

    /// <summary>DNS names and IP addresses (<c>nas.home.arpa</c>, <c>192.168.1.10</c>), at least one, as the wizard takes them.</summary>
    public IReadOnlyList<string>? AlternativeNames { get; init; }

    /// <summary>The key: <c>p256</c>, <c>p384</c>, <c>rsa2048</c>, <c>rsa3072</c> or <c>rsa4096</c>; the wizard's default when unset.</summary>
    public string? Key { get; init; }

    /// <summary>The description the pending requests list shows; the common name or first name when unset.</summary>
    public string? Description { get; init; }

    /// <summary>The wizard's form filled from the body, so the wizard's own check (<see cref="RequestForm.Problem"/>) judges it.</summary>
    internal Result<RequestForm> ToForm()
    {
        var key = Key is null ? Result.Success(RequestForm.Recommended) : KeyAlgorithms.Parse(Key);
        var names = SanParser.ParseAll(AlternativeNames ?? []);
        var problem = key.Error ?? names.Error;
        if (problem is not null)
        {
            return Result.Failure<RequestForm>(problem);
        }

        var form = new RequestForm { Names = names.Value, Key = key.Value, Description = Description ?? string.Empty };
        form.Subject.CommonName = CommonName;
        form.Subject.Organization = Organization;
        form.Subject.OrganizationalUnit = OrganizationalUnit;
        form.Subject.Locality = Locality;
        form.Subject.State = State;
        form.Subject.Country = Country;
        problem = form.Problem();
        return problem is null ? Result.Success(form) : Result.Failure<RequestForm>(problem);
    }
}

/// <summary>A pending request as the list shows it: a CSR made here whose signed certificate has not come back yet.</summary>
/// <param name="Id">The request's id, for <c>GET /api/v1/requests/{id}</c>.</param>
/// <param name="Description">The description the pending requests page shows.</param>
/// <param name="Subject">The requested subject's distinguished name.</param>
/// <param name="AlternativeNames">The requested names, each as <c>DNS:name</c> or <c>IP:address</c>.</param>
/// <param name="CreatedAt">When the request (and its key) was made.</param>
/// <param name="Key">The key type, such as <c>ECDSA P-256</c>; the key itself stays here.</param>
public sealed record PendingRequestItem(int Id, string Description, string Subject, IReadOnlyList<string> AlternativeNames, DateTimeOffset CreatedAt,
    string Key)
{
    internal static PendingRequestItem From(PendingRequest p) => new(p.Id, p.Description, p.Subject, p.AlternativeNames, p.CreatedAt,
        p.Request.PublicKey.ToString());
}

/// <summary>The pending requests, newest first.</summary>
/// <param name="Items">Every pending request held here.</param>
public sealed record PendingRequestList(IReadOnlyList<PendingRequestItem> Items);

/// <summary>
/// One pending request with its CSR, to send to the CA that will sign it. Its key stays here: importing the signed
/// certificate finds it by the public key. Never a key.
/// </summary>
/// <param name="Id">The request's id.</param>
/// <param name="Description">The description the pending requests page shows.</param>
/// <param name="Subject">The requested subject's distinguished name.</param>
/// <param name="AlternativeNames">The requested names, each as <c>DNS:name</c> or <c>IP:address</c>.</param>
/// <param name="CreatedAt">When the request (and its key) was made.</param>
/// <param name="Key">The key type, such as <c>ECDSA P-256</c>.</param>
/// <param name="CsrPem">The certificate signing request (PKCS#10) as PEM.</param>
public sealed record PendingRequestDocument(int Id, string Description, string Subject, IReadOnlyList<string> AlternativeNames, DateTimeOffset CreatedAt,
    string Key, string CsrPem)
{
    internal static PendingRequestDocument From(PendingRequest p) => new(p.Id, p.Description, p.Subject, p.AlternativeNames, p.CreatedAt,
        p.Request.PublicKey.ToString(), p.Request.ToPem());
}

/// <summary>A withdrawn request.</summary>
/// <param name="Id">The request's id.</param>
/// <param name="KeyDestroyed">Its key was destroyed; false when a certificate here already uses the key, which then stays.</param>
public sealed record CancelledRequestDocument(int Id, bool KeyDestroyed);

/// <summary>The examples of the request calls in the OpenAPI document, as the types the calls take and return.</summary>
internal static class RequestExamples
{
    private const string Pem = "-----BEGIN CERTIFICATE REQUEST-----\nMIIBDzCBtgIBADAYMRYwFAYDVQQDDA1uYXMuaG9tZS5hcnBh…\n-----END CERTIFICATE REQUEST-----\n";

    private static readonly DateTimeOffset Made = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);

    public static CreateRequestBody Create { get; } = new()
    {
        CommonName = "nas.home.arpa",
        AlternativeNames = ["nas.home.arpa", "192.168.1.10"],
        Key = "p256",
        Description = "NAS for the office CA",
    };

    public static PendingRequestItem Item { get; } = new(3, "NAS for the office CA", "CN=nas.home.arpa", ["DNS:nas.home.arpa", "IP:192.168.1.10"], Made,
        "ECDSA P-256");

    public static PendingRequestList List { get; } = new([Item]);

    public static PendingRequestDocument Document { get; } = new(3, "NAS for the office CA", "CN=nas.home.arpa", ["DNS:nas.home.arpa", "IP:192.168.1.10"],
        Made, "ECDSA P-256", Pem);

    public static CancelledRequestDocument Cancelled { get; } = new(3, KeyDestroyed: true);
}
