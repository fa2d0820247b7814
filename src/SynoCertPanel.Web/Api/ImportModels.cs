using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Chains;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// The JSON body of <c>POST /api/v1/certificates/import</c>: the files the import wizard takes, each as text (PEM) or
/// as base64 (DER, PKCS#12, PKCS#7 or a zip), never both for one file. Either the certificate (its key and chain beside
/// it, when they are separate files) or one bundle that holds them all.
/// </summary>
public sealed record ImportCertificateBody
{
    /// <summary>The certificate as PEM; it may also hold its key and chain, or be a PKCS#7 PEM.</summary>
    public string? Certificate { get; init; }

    /// <summary>The certificate file as base64, for a DER certificate.</summary>
    public string? CertificateBase64 { get; init; }

    /// <summary>The private key as PEM (PKCS#8, PKCS#1 or SEC1; encrypted when <c>password</c> opens it). Not needed when a CSR made here holds it.</summary>
    public string? Key { get; init; }

    /// <summary>The private key file as base64, for a DER key.</summary>
    public string? KeyBase64 { get; init; }

    /// <summary>The intermediate certificates as PEM, nearest issuer first or in any order.</summary>
    public string? Chain { get; init; }

    /// <summary>The intermediate certificates as base64, for a DER or PKCS#7 file.</summary>
    public string? ChainBase64 { get; init; }

    /// <summary>One PEM file that holds the certificate, its key and its chain; alone, without the fields above.</summary>
    public string? Bundle { get; init; }

    /// <summary>One binary file as base64: PKCS#12 (.pfx/.p12), a Synology archive.zip or PKCS#7 (.p7b); alone, without the fields above.</summary>
    public string? BundleBase64 { get; init; }

    /// <summary>Opens a PKCS#12 file or an encrypted key.</summary>
    public string? Password { get; init; }

    /// <summary>The description the list shows; the certificate's common name when unset.</summary>
    public string? Description { get; init; }
}

/// <summary>
/// The answer of an import: the certificate as <c>GET /api/v1/certificates/{id}</c> gives it, and what the import did
/// beside storing it, as the wizard and `cert import` report it.
/// </summary>
public sealed record ImportedCertificateDocument : CertificateDocument
{
    internal ImportedCertificateDocument(CertificateDocument certificate, int? completedRequestId, int? registeredAuthorityId, IReadOnlyList<string> warnings)
        : base(certificate)
    {
        CompletedRequestId = completedRequestId;
        RegisteredAuthorityId = registeredAuthorityId;
        Warnings = warnings;
    }

    /// <summary>The pending request (a CSR made here) whose key the certificate took; the request is completed and gone.</summary>
    public int? CompletedRequestId { get; init; }

    /// <summary>A CA now held here that the import brought with its key: this certificate when it is a CA, or a Synology archive's issuing CA.</summary>
    public int? RegisteredAuthorityId { get; init; }

    /// <summary>What the import noticed and the person should know (an incomplete chain, the compatibility lint's findings).</summary>
    public IReadOnlyList<string> Warnings { get; init; }
}

/// <summary>
/// What an upload gave, in either form, before it becomes the <see cref="ImportRequest"/> of the wizard's two choices:
/// separate files (certificate, with key and chain) or one bundle file.
/// </summary>
internal sealed class ImportUploadParts
{
    public const string CertificateName = "certificate";
    public const string KeyName = "key";
    public const string ChainName = "chain";
    public const string BundleName = "bundle";
    public const string PasswordName = "password";
    public const string DescriptionName = "description";

    /// <summary>Far longer than any passphrase a person types or a password manager makes up.</summary>
    public const int MaxPasswordLength = 1024;

    public static IReadOnlyList<string> Names { get; } = [CertificateName, KeyName, ChainName, BundleName, PasswordName, DescriptionName];

    public BundleFile? Certificate { get; set; }

    public BundleFile? Key { get; set; }

    public BundleFile? Chain { get; set; }

    public BundleFile? Bundle { get; set; }

    public string? Password { get; set; }

    public string? Description { get; set; }

    public void SetFile(string name, BundleFile file)
    {
        switch (name)
        {
            case CertificateName: Certificate = file; break;
            case KeyName: Key = file; break;
            case ChainName: Chain = file; break;
            case BundleName: Bundle = file; break;
            default: throw new ArgumentOutOfRangeException(nameof(name), name, "Not a file of the import.");
        }
    }

    /// <summary>The same choice the wizard offers and `cert import` checks: the certificate with its files, or one bundle alone.</summary>
    public Result<ImportRequest> ToRequest()
    {
        if (Bundle is not null && (Certificate ?? Key ?? Chain) is not null)
        {
            return Result.Failure<ImportRequest>(
                "A bundle carries the certificate, key and chain itself: give it alone, or give certificate, key and chain instead.");
        }

        if (Bundle is null && Certificate is null)
        {
            return Result.Failure<ImportRequest>((Key ?? Chain) is not null
                ? "key and chain go with certificate: give the certificate too, or one bundle that holds them all."
                : "No file was given: give the certificate (with its key and chain when they are separate files), or one bundle (PKCS#12, Synology archive.zip, PKCS#7 or PEM).");
        }

        if (Password is { Length: > MaxPasswordLength })
        {
            return Result.Failure<ImportRequest>($"The password is {Password.Length} characters long; at most {MaxPasswordLength} are accepted.");
        }

        return Result.Success(new ImportRequest
        {
            Files = Bundle is not null ? [Bundle] : new[] { Certificate, Key, Chain }.OfType<BundleFile>().ToList(),
            Password = string.IsNullOrEmpty(Password) ? null : Password,
            Description = Description ?? string.Empty,
        });
    }
}
