namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>How a PKCS#12 file is protected.</summary>
public enum Pkcs12Profile
{
    /// <summary>AES-256-CBC with PBKDF2-HMAC-SHA256 for key and certificates, HMAC-SHA256 MAC (OpenSSL 3's default).</summary>
    Modern,

    /// <summary>
    /// pbeWithSHAAnd3-KeyTripleDES-CBC for key and certificates, SHA-1 MAC: what Windows before 10 1709, macOS
    /// Keychain before 15 and many appliances can open (they fail on PBES2 with a "wrong password" message).
    /// </summary>
    Legacy,
}
