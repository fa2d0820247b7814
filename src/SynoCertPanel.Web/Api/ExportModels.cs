namespace SynoCertPanel.Web.Api;

/// <summary>
/// The body of <c>POST /api/v1/certificates/{id}/export/{format}</c>, for the formats that carry the private key: what
/// the export dialog asks for beside the format. A password travels here and never in a URL.
/// </summary>
public sealed record ExportKeyBody
{
    /// <summary>Protects the file: required for <c>pfx</c> and <c>pfx-legacy</c>, optional for <c>key</c> (then encrypted PKCS#8), not taken by <c>synology-zip</c>.</summary>
    public string? Password { get; init; }

    /// <summary><c>synology-zip</c> only: adds syno-ca-privkey.pem, the issuing CA's private key, when that CA is held here.</summary>
    public bool IncludeCaKey { get; init; }
}
