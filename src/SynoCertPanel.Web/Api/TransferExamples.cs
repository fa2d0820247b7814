using System.Text.Json.Nodes;

namespace SynoCertPanel.Web.Api;

/// <summary>The examples of the import and export calls in the OpenAPI document, as the types the calls take and return.</summary>
internal static class TransferExamples
{
    private const string CertificatePem = "-----BEGIN CERTIFICATE-----\nMIIBkTCCATegAwIBAgIU…\n-----END CERTIFICATE-----\n";
    private const string KeyPem = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg…\n-----END PRIVATE KEY-----\n";
    private const string ChainPem = "-----BEGIN CERTIFICATE-----\nMIIBjzCCATWgAwIBAgIU…\n-----END CERTIFICATE-----\n";

    public static ImportedCertificateDocument Imported { get; } = new(CertificateExamples.Document with
    {
        Id = 8,
        Description = "nas.home.arpa",
        Issuer = "CN=Home Intermediate CA",
        Source = "Imported",
        IsDefault = false,
        AuthorityId = null,
    }, completedRequestId: 3, registeredAuthorityId: null,
        ["Info n_sub_cert_validity_over_398_days: nas.home.arpa is valid for 730 days, more than public CAs may issue (398); fine for a private root."]);

    public static ImportCertificateBody JsonImport { get; } = new()
    {
        Certificate = CertificatePem,
        Key = KeyPem,
        Chain = ChainPem,
        Description = "NAS from the old box",
    };

    /// <summary>The parts of a multipart upload, each file's content as text.</summary>
    public static JsonNode MultipartImport() => new JsonObject
    {
        ["certificate"] = CertificatePem,
        ["key"] = KeyPem,
        ["chain"] = ChainPem,
        ["description"] = "NAS from the old box",
    };

    public static ExportKeyBody ExportPfx { get; } = new() { Password = "correct horse battery staple" };

    public static JsonNode FullChainPem => JsonValue.Create(CertificatePem + ChainPem);
}
