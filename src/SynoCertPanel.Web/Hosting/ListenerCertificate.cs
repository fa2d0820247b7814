using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Core.Listener;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Formats;

namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// One served certificate as the TLS stack wants it: the leaf with its key and the intermediates, prebuilt
/// into an <see cref="SslStreamCertificateContext"/> so a handshake only hands it out.
/// </summary>
public sealed class ListenerCertificate : IDisposable
{
    private ListenerCertificate(ServedCertificate served, X509Certificate2 certificate, X509Certificate2Collection intermediates, SslStreamCertificateContext context)
    {
        Served = served;
        Certificate = certificate;
        Intermediates = intermediates;
        Context = context;
        Thumbprint = ThumbprintOf(certificate);
    }

    private ServedCertificate Served { get; }

    public int CertificateId => Served.CertificateId;

    /// <summary>Parsed on first use (BouncyCastle); serving needs only <see cref="Certificate"/>.</summary>
    public Certificate Leaf => Served.Leaf;

    /// <summary>The stored issuers, nearest first (the root included when it was stored); parsed on first use.</summary>
    public IReadOnlyList<Certificate> Chain => Served.Chain;

    /// <summary>The leaf's subject as the inventory shows it.</summary>
    public string SubjectText => Served.SubjectText;

    public X509Certificate2 Certificate { get; }

    private X509Certificate2Collection Intermediates { get; }

    public SslStreamCertificateContext Context { get; }

    /// <summary>SHA-256 of the leaf, hex: what a handshake check compares.</summary>
    public string Thumbprint { get; }

    public static string ThumbprintOf(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    /// <summary>Builds the TLS context; a certificate or key the TLS stack cannot use is refused with the reason.</summary>
    public static Result<ListenerCertificate> Create(ServedCertificate served)
    {
        ArgumentNullException.ThrowIfNull(served);
        var pkcs8 = served.Key.ExportPkcs8();
        X509Certificate2? certificate = null;
        var intermediates = new X509Certificate2Collection();
        try
        {
            certificate = X509Certificate2.CreateFromPem(Pem.Encode(Pem.CertificateLabel, served.LeafDer.Span), Pem.Encode(Pem.PrivateKeyLabel, pkcs8));
            // The root is left out: clients must already trust it, so sending it only costs bytes (RFC 8446 §4.4.2).
            foreach (var issuer in served.ChainDer.Where(der => !IsRoot(der)))
            {
                intermediates.Add(X509CertificateLoader.LoadCertificate(issuer.Span));
            }

            // offline: the chain is built from what we hand over, never fetched (a NAS may have no internet).
            var context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
            return Result.Success(new ListenerCertificate(served, certificate, intermediates, context));
        }
        catch (CryptographicException e)
        {
            certificate?.Dispose();
            foreach (var intermediate in intermediates)
            {
                intermediate.Dispose();
            }

            return Result.Failure<ListenerCertificate>($"Certificate {served.CertificateId} does not load into the TLS stack: {e.Message}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>One that cannot be read is kept, and the TLS stack then refuses it with the reason.</summary>
    private static bool IsRoot(ReadOnlyMemory<byte> der) => CertificateParts.Read(der) is { IsSuccess: true } parts && parts.Value.IsSelfSigned;

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var intermediate in Intermediates)
        {
            intermediate.Dispose();
        }
    }
}
