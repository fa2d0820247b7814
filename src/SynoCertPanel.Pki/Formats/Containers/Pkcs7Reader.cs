using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>Reads the certificates of a PKCS#7 (.p7b/.p7c) file: a degenerate SignedData, in PEM or DER.</summary>
public static class Pkcs7Reader
{
    public const int MaxInputBytes = 256 * 1024;

    public const int MaxCertificates = 32;

    /// <summary>A SignedData with certificates nests about 15 deep; real files never approach this.</summary>
    private const int MaxDepth = 40;

    public static Result<IReadOnlyList<Certificate>> ReadCertificates(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return Fail("The PKCS#7 file is empty.");
        }

        if (data.Length > MaxInputBytes)
        {
            return Fail($"The file is {data.Length / 1024} KiB; a PKCS#7 certificate chain is far smaller (at most {MaxInputBytes / 1024} KiB accepted).");
        }

        var der = PemReader.LooksLikePem(data) ? FromPem(data) : Result.Success(data.ToArray());
        return der.Bind(ReadDer);
    }

    private static Result<byte[]> FromPem(ReadOnlySpan<byte> data)
    {
        var blocks = PemReader.ReadAll(data);
        if (!blocks.IsSuccess)
        {
            return Result.Failure<byte[]>(blocks.Error!);
        }

        var pkcs7 = blocks.Value.Where(b => b.Label == Pem.Pkcs7Label).ToList();
        return pkcs7.Count switch
        {
            1 => Result.Success(pkcs7[0].Data),
            0 => Result.Failure<byte[]>($"The PEM file holds no PKCS7 block (found: {Display.Literal(string.Join(", ", blocks.Value.Select(b => b.Label).Distinct()))})."),
            _ => Result.Failure<byte[]>("The PEM file holds more than one PKCS7 block."),
        };
    }

    private static Result<IReadOnlyList<Certificate>> ReadDer(byte[] der)
    {
        if (der.Length == 0 || der[0] != 0x30)
        {
            return Fail("The data is not a PKCS#7 file (it does not start with an ASN.1 sequence).");
        }

        if (!DerNesting.IsWithin(der, MaxDepth))
        {
            return Fail("The PKCS#7 file nests its structure deeper than any real file; it was refused unread.");
        }

        Asn1Set? set;
        try
        {
            var content = ContentInfo.GetInstance(Asn1Object.FromByteArray(der));
            if (!CmsObjectIdentifiers.SignedData.Equals(content.ContentType))
            {
                return Fail("The PKCS#7 file is not a certificate bundle (its content is not SignedData).");
            }

            set = SignedData.GetInstance(content.Content).Certificates;
        }
        catch (Exception e) when (ParseErrors.IsParseError(e))
        {
            return Fail("The file is damaged or is not a PKCS#7 file.");
        }

        return Collect(set);
    }

    private static Result<IReadOnlyList<Certificate>> Collect(Asn1Set? set)
    {
        if (set is null || set.Count == 0)
        {
            return Fail("The PKCS#7 file holds no certificates.");
        }

        if (set.Count > MaxCertificates)
        {
            return Fail($"The PKCS#7 file holds {set.Count} certificates; at most {MaxCertificates} are accepted.");
        }

        var certificates = new List<Certificate>(set.Count);
        var warnings = new List<string>();
        foreach (var element in set)
        {
            if (element is not Asn1Sequence)
            {
                // CertificateChoices also allows attribute and other certificates ([1]..[3]); they are not X.509 certificates.
                warnings.Add("An entry that is not an X.509 certificate was skipped.");
                continue;
            }

            var certificate = Certificate.FromDer(element.GetEncoded(Asn1Encodable.Der));
            if (!certificate.IsSuccess)
            {
                return Fail($"Certificate {certificates.Count + 1} in the PKCS#7 file cannot be read: {certificate.Error}");
            }

            certificates.Add(certificate.Value);
        }

        return certificates.Count == 0
            ? Fail("The PKCS#7 file holds no X.509 certificates.")
            : Result.Success<IReadOnlyList<Certificate>>(certificates, warnings);
    }

    private static Result<IReadOnlyList<Certificate>> Fail(string message) => Result.Failure<IReadOnlyList<Certificate>>(message);
}
