using SynoCertPanel.Pki.Issuance;

namespace SynoCertPanel.Pki.Formats;

/// <summary>Reads a PKCS#10 request from PEM ("CERTIFICATE REQUEST", or the older "NEW CERTIFICATE REQUEST") or DER.</summary>
public static class SigningRequestReader
{
    /// <summary>Written by Windows certreq and old Netscape-era tools.</summary>
    public const string NewCertificateRequestLabel = "NEW CERTIFICATE REQUEST";

    public static Result<CertificateSigningRequest> Read(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return Result.Failure<CertificateSigningRequest>("The request file is empty.");
        }

        if (!PemReader.LooksLikePem(data))
        {
            return CertificateSigningRequest.FromDer(data);
        }

        return PemReader.ReadAll(data).Bind(blocks =>
        {
            var requests = blocks.Where(b => b.Label is Pem.CertificateRequestLabel or NewCertificateRequestLabel).ToList();
            return requests.Count switch
            {
                1 => CertificateSigningRequest.FromDer(requests[0].Data),
                0 => Result.Failure<CertificateSigningRequest>(
                    $"No certificate signing request found (the file holds: {string.Join(", ", blocks.Select(b => Display.Literal(b.Label, 40)).Distinct())})."),
                _ => Result.Failure<CertificateSigningRequest>($"The file holds {requests.Count} certificate signing requests; give exactly one."),
            };
        });
    }
}
