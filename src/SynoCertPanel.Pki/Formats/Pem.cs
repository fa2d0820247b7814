using System.Text;

namespace SynoCertPanel.Pki.Formats;

/// <summary>Writes PEM (RFC 7468): 64-column base64 between BEGIN/END lines, LF line ends.</summary>
public static class Pem
{
    public const string CertificateLabel = "CERTIFICATE";
    public const string PrivateKeyLabel = "PRIVATE KEY";
    public const string EncryptedPrivateKeyLabel = "ENCRYPTED PRIVATE KEY";
    public const string RsaPrivateKeyLabel = "RSA PRIVATE KEY";
    public const string EcPrivateKeyLabel = "EC PRIVATE KEY";
    public const string CertificateRequestLabel = "CERTIFICATE REQUEST";
    public const string Pkcs7Label = "PKCS7";

    public static string Encode(string label, ReadOnlySpan<byte> der)
    {
        var base64 = Convert.ToBase64String(der);
        var builder = new StringBuilder(base64.Length + (base64.Length / 64) + (label.Length * 2) + 40);
        builder.Append("-----BEGIN ").Append(label).Append("-----\n");
        for (var i = 0; i < base64.Length; i += 64)
        {
            builder.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        }

        builder.Append("-----END ").Append(label).Append("-----\n");
        return builder.ToString();
    }
}
