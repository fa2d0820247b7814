using System.IO.Compression;
using System.Text;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using Files = SynoCertPanel.Pki.Formats.Containers.SynologyArchiveNames;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>Writes archive.zip in the layouts DSM exports and imports, in memory.</summary>
public static class SynologyArchiveWriter
{
    /// <summary>
    /// Used when the caller gives no time: the zip format's earliest date, so the same input gives the same bytes
    /// (the engine reads no clock).
    /// </summary>
    public static readonly DateTimeOffset DefaultModified = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The certificate layout: cert.pem, privkey.pem (PKCS#8), syno-ca-cert.pem (the chain, nearest issuer first)
    /// and, only when <paramref name="caKey"/> is given, syno-ca-privkey.pem.
    /// </summary>
    public static byte[] WriteCertificate(Certificate leaf, PrivateKey key, IReadOnlyList<Certificate> chain, PrivateKey? caKey = null,
        DateTimeOffset? modified = null)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(chain);
        if (!leaf.Matches(key))
        {
            throw new ArgumentException("The key does not belong to the certificate.", nameof(key));
        }

        if (caKey is not null && !chain.Any(c => c.Matches(caKey)))
        {
            throw new ArgumentException("The CA key belongs to no certificate of the chain.", nameof(caKey));
        }

        var files = new List<(string, string)>
        {
            (Files.Certificate, leaf.ToPem()),
            (Files.PrivateKey, Pem.Encode(Pem.PrivateKeyLabel, key.ExportPkcs8())),
        };
        if (chain.Count > 0)
        {
            files.Add((Files.CaCertificate, string.Concat(chain.Select(c => c.ToPem()))));
        }

        if (caKey is not null)
        {
            files.Add((Files.CaPrivateKey, Pem.Encode(Pem.PrivateKeyLabel, caKey.ExportPkcs8())));
        }

        return Zip(files, modified ?? DefaultModified);
    }

    /// <summary>The CSR layout: server.csr and server.key (PKCS#8).</summary>
    public static byte[] WriteRequest(CertificateSigningRequest request, PrivateKey key, DateTimeOffset? modified = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        if (!key.MatchesPublicKey(request.SubjectPublicKeyInfo.Span))
        {
            throw new ArgumentException("The key does not belong to the request.", nameof(key));
        }

        return Zip([(Files.Request, request.ToPem()), (Files.RequestKey, Pem.Encode(Pem.PrivateKeyLabel, key.ExportPkcs8()))],
            modified ?? DefaultModified);
    }

    private static byte[] Zip(IEnumerable<(string Name, string Content)> files, DateTimeOffset modified)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = modified;
                using var stream = entry.Open();
                stream.Write(Encoding.ASCII.GetBytes(content));
            }
        }

        return output.ToArray();
    }
}
