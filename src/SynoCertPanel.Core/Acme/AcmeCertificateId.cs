using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// The ARI certificate identifier (RFC 9773 §4.1): base64url of the certificate's authority key identifier, a dot,
/// base64url of the DER bytes of its serial number. It names a certificate by its issuer's key and serial only, so a
/// client can ask about it without sending the certificate.
/// </summary>
/// <param name="KeyIdentifier">The keyIdentifier of the certificate's authority key identifier extension.</param>
/// <param name="SerialNumberHex">The serial in hexadecimal, upper case without leading zeros, as the inventory keeps it.</param>
public sealed record AcmeCertificateId(byte[] KeyIdentifier, string SerialNumberHex)
{
    /// <summary>Longer than any identifier of a 20-octet serial and a SHA-512 key identifier: anything more is refused unread.</summary>
    public const int MaxLength = 200;

    /// <summary>The identifier of <paramref name="certificate"/>, or null when it has no authority key identifier.</summary>
    public static string? Of(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.AuthorityKeyIdentifier is { Length: > 0 } keyIdentifier
            ? AcmeBase64.Encode(keyIdentifier) + "." + AcmeBase64.Encode(certificate.SerialNumber.ToByteArray())
            : null;
    }

    /// <summary>Reads an identifier, or says why it is not one (RFC 9773 answers that with malformed).</summary>
    public static AcmeOutcome<AcmeCertificateId> Parse(string? text)
    {
        const string Form = "An ARI certificate id is base64url(authority key identifier) \".\" base64url(serial number bytes), both without padding (RFC 9773 §4.1).";
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return AcmeProblem.Malformed(Form);
        }

        var parts = text.Split('.');
        if (parts.Length != 2 || !AcmeBase64.TryDecode(parts[0], out var keyIdentifier) || keyIdentifier.Length == 0
            || !AcmeBase64.TryDecode(parts[1], out var serial) || serial.Length == 0)
        {
            return AcmeProblem.Malformed(Form);
        }

        // DER INTEGER contents: a serial is positive (RFC 5280 §4.1.2.2), so a first byte with its top bit set is a negative
        // number, and a leading zero byte is only there to keep the next byte's top bit from reading as a sign.
        if (serial[0] >= 0x80 || (serial.Length > 1 && serial[0] == 0 && serial[1] < 0x80))
        {
            return AcmeProblem.Malformed("The serial number in the ARI certificate id is not the DER encoding of a positive integer (RFC 9773 §4.1).");
        }

        var hex = Convert.ToHexString(serial).TrimStart('0');
        return new AcmeCertificateId(keyIdentifier, hex.Length == 0 ? "0" : hex);
    }

    /// <summary>The identifier in its one canonical spelling, as stored in an order's "replaces".</summary>
    public override string ToString()
    {
        var serial = Convert.FromHexString(SerialNumberHex.Length % 2 == 1 ? "0" + SerialNumberHex : SerialNumberHex);
        var bytes = serial[0] >= 0x80 ? [0, .. serial] : serial;
        return AcmeBase64.Encode(KeyIdentifier) + "." + AcmeBase64.Encode(bytes);
    }
}
