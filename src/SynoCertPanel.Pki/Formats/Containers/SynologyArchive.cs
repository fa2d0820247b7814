using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>What a Synology-style archive.zip held: a certificate with its key, or a signing request with its key.</summary>
public abstract record SynologyArchive;

/// <summary>
/// The certificate layout (cert.pem, privkey.pem, syno-ca-cert.pem, syno-ca-privkey.pem, or chain.pem / fullchain.pem).
/// <see cref="CaKey"/> is present only when the archive carried the issuing CA's key (syno-ca-privkey.pem).
/// </summary>
public sealed record SynologyCertificateArchive(Certificate Leaf, PrivateKey Key, IReadOnlyList<Certificate> Chain, PrivateKey? CaKey)
    : SynologyArchive;

/// <summary>The CSR layout: server.csr and server.key.</summary>
public sealed record SynologyRequestArchive(CertificateSigningRequest Request, PrivateKey Key) : SynologyArchive;

/// <summary>File names of Synology DSM's certificate export (Control Panel > Security > Certificate > Export).</summary>
public static class SynologyArchiveNames
{
    public const string Certificate = "cert.pem";
    public const string PrivateKey = "privkey.pem";
    public const string CaCertificate = "syno-ca-cert.pem";
    public const string CaPrivateKey = "syno-ca-privkey.pem";
    public const string Request = "server.csr";
    public const string RequestKey = "server.key";

    /// <summary>Names certbot and other ACME clients use, accepted on import.</summary>
    public const string Chain = "chain.pem";
    public const string FullChain = "fullchain.pem";
}
