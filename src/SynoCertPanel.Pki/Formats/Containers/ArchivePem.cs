using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>
/// Reads the PEM files inside an archive. Only what an archive needs: the full key reader (encrypted keys,
/// DER, every label) lives with the other single-file formats.
/// </summary>
internal static class ArchivePem
{
    public static Result<IReadOnlyList<Certificate>> Certificates(ZipFileEntry file)
    {
        var blocks = Blocks(file);
        if (!blocks.IsSuccess)
        {
            return Result.Failure<IReadOnlyList<Certificate>>(blocks.Error!);
        }

        var certificates = new List<Certificate>();
        foreach (var block in blocks.Value.Where(b => b.Label == Pem.CertificateLabel))
        {
            var certificate = Certificate.FromDer(block.Data);
            if (!certificate.IsSuccess)
            {
                return Result.Failure<IReadOnlyList<Certificate>>($"{Name(file)}: {certificate.Error}");
            }

            certificates.Add(certificate.Value);
        }

        return certificates.Count == 0
            ? Result.Failure<IReadOnlyList<Certificate>>($"{Name(file)} holds no CERTIFICATE block.")
            : Result.Success<IReadOnlyList<Certificate>>(certificates);
    }

    public static Result<CertificateSigningRequest> Request(ZipFileEntry file) =>
        Single(file, ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"]).Bind(block =>
        {
            var request = CertificateSigningRequest.FromDer(block.Data);
            return request.IsSuccess ? request : Result.Failure<CertificateSigningRequest>($"{Name(file)}: {request.Error}");
        });

    public static Result<PrivateKey> Key(ZipFileEntry file) =>
        Single(file, [Pem.PrivateKeyLabel, Pem.RsaPrivateKeyLabel, Pem.EcPrivateKeyLabel, Pem.EncryptedPrivateKeyLabel]).Bind(block =>
        {
            if (block.Label == Pem.EncryptedPrivateKeyLabel || block.IsEncryptedLegacy)
            {
                return Result.Failure<PrivateKey>($"{Name(file)} holds an encrypted key; archives are read with unencrypted keys (decrypt it, or import key and certificate as separate files).");
            }

            var pkcs8 = block.Label switch
            {
                Pem.RsaPrivateKeyLabel => Wrap(() => new PrivateKeyInfo(
                    new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance), RsaPrivateKeyStructure.GetInstance(block.Data))),
                Pem.EcPrivateKeyLabel => Wrap(() => EcToPkcs8(block.Data)),
                _ => block.Data,
            };
            var key = pkcs8 is null
                ? Result.Failure<PrivateKey>("the key is damaged.")
                : PrivateKey.FromPkcs8(pkcs8);
            return key.IsSuccess ? key : Result.Failure<PrivateKey>($"{Name(file)}: {key.Error}");
        });

    /// <summary>An "EC PRIVATE KEY" (RFC 5915) names its curve inside; PKCS#8 moves the curve to the algorithm.</summary>
    private static PrivateKeyInfo EcToPkcs8(byte[] der)
    {
        var structure = ECPrivateKeyStructure.GetInstance(der);
        var curve = structure.Parameters ?? throw new ArgumentException("The EC key does not name its curve.");
        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, curve), structure);
    }

    private static byte[]? Wrap(Func<PrivateKeyInfo> convert)
    {
        try
        {
            return convert().GetDerEncoded();
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or IOException or FormatException
            or InvalidOperationException or OverflowException or IndexOutOfRangeException or Asn1ParsingException)
        {
            return null;
        }
    }

    private static Result<PemBlock> Single(ZipFileEntry file, string[] labels) => Blocks(file).Bind(blocks =>
    {
        var matching = blocks.Where(b => labels.Contains(b.Label)).ToList();
        return matching.Count == 1
            ? Result.Success(matching[0])
            : Result.Failure<PemBlock>($"{Name(file)} should hold one {labels[0]} block; it holds {matching.Count}.");
    });

    private static Result<IReadOnlyList<PemBlock>> Blocks(ZipFileEntry file)
    {
        var blocks = PemReader.ReadAll(file.Data);
        return blocks.IsSuccess ? blocks : Result.Failure<IReadOnlyList<PemBlock>>($"{Name(file)}: {blocks.Error}");
    }

    private static string Name(ZipFileEntry file) => Display.Literal(file.FullName);
}
