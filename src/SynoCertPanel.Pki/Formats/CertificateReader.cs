using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Pki.Formats;

/// <summary>Reads one or many certificates from PEM (any number of blocks, noise around them) or DER.</summary>
public static class CertificateReader
{
    public static Result<IReadOnlyList<Certificate>> ReadAll(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return Fail("The certificate file is empty.");
        }

        if (!PemReader.LooksLikePem(data))
        {
            var der = Certificate.FromDer(data);
            return der.IsSuccess
                ? Result.Success<IReadOnlyList<Certificate>>([der.Value])
                : Fail($"The file is neither PEM nor a DER certificate: {der.Error}");
        }

        var blocks = PemReader.ReadAll(data);
        return blocks.IsSuccess ? ReadPem(blocks.Value) : Fail(blocks.Error!);
    }

    /// <summary>The certificates among PEM blocks, in file order; keys and other blocks are left to their readers.</summary>
    public static Result<IReadOnlyList<Certificate>> ReadPem(IReadOnlyList<PemBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var certificates = new List<Certificate>();
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            switch (block.Label)
            {
                case Pem.CertificateLabel or "X509 CERTIFICATE":
                    var certificate = Certificate.FromDer(block.Data);
                    if (!certificate.IsSuccess)
                    {
                        return Fail($"PEM block {i + 1} (CERTIFICATE): {certificate.Error}");
                    }

                    certificates.Add(certificate.Value);
                    break;
                case "TRUSTED CERTIFICATE":
                    // OpenSSL's own format: a certificate followed by trust settings no other tool reads.
                    return Fail("The file holds a TRUSTED CERTIFICATE (OpenSSL's trust format). Convert it with `openssl x509 -in FILE -out cert.pem`.");
                case Pem.Pkcs7Label:
                    return Fail("The file holds a PKCS#7 bundle. Extract its certificates with `openssl pkcs7 -print_certs -in FILE -out chain.pem`.");
            }
        }

        if (certificates.Count == 0)
        {
            var found = string.Join(", ", blocks.Select(b => Display.Literal(b.Label, 40)).Distinct());
            return Fail($"No certificate found (the file holds: {found}).");
        }

        return Result.Success<IReadOnlyList<Certificate>>(certificates);
    }

    /// <summary>Exactly one certificate (a CA upload, a leaf on its own).</summary>
    public static Result<Certificate> ReadOne(ReadOnlySpan<byte> data) =>
        ReadAll(data).Bind(all => all.Count == 1
            ? Result.Success(all[0])
            : Result.Failure<Certificate>($"The file holds {all.Count} certificates; give exactly one."));

    private static Result<IReadOnlyList<Certificate>> Fail(string message) => Result.Failure<IReadOnlyList<Certificate>>(message);
}
