namespace SynoCertPanel.Pki.Certificates;

/// <summary>
/// Certificates whose EC key spells its curve out instead of naming it. Refused before their key is matched:
/// the panel stores keys with the curve's name, so such a certificate would otherwise read as "not this key's".
/// </summary>
public static class ExplicitCurveParameters
{
    /// <summary>How to make a key that names its curve.</summary>
    public const string Advice = "Make the key with `openssl ecparam -name prime256v1 -genkey` (without `-param_enc explicit`), or convert it with `openssl ec -in KEY -param_enc named_curve`.";

    /// <summary>Why <paramref name="certificate"/> (named <paramref name="name"/> in the sentence) cannot be used, or null.</summary>
    public static string? Problem(Certificate certificate, string name)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.PublicKey.HasExplicitCurveParameters
            ? $"{name} gives its EC key's curve as explicit parameters instead of naming it: RFC 5480 requires a named curve, "
                + $"and browsers and openssl -x509_strict refuse such certificates. Have it reissued for a key that names its curve. {Advice}"
            : null;
    }

    /// <summary>The first problem among <paramref name="certificates"/>, each named by its subject.</summary>
    public static string? Problem(IEnumerable<Certificate> certificates) => certificates
        .Select(c => Problem(c, $"The certificate \"{Display.Literal(c.SubjectText)}\""))
        .FirstOrDefault(p => p is not null);
}
