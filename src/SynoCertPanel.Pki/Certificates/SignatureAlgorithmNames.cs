namespace SynoCertPanel.Pki.Certificates;

internal static class SignatureAlgorithmNames
{
    private static readonly Dictionary<string, string> Names = new()
    {
        ["1.2.840.113549.1.1.4"] = "MD5 with RSA",
        ["1.2.840.113549.1.1.5"] = "SHA-1 with RSA",
        ["1.2.840.113549.1.1.11"] = "SHA-256 with RSA",
        ["1.2.840.113549.1.1.12"] = "SHA-384 with RSA",
        ["1.2.840.113549.1.1.13"] = "SHA-512 with RSA",
        ["1.2.840.113549.1.1.10"] = "RSA-PSS",
        ["1.2.840.10045.4.1"] = "ECDSA with SHA-1",
        ["1.2.840.10045.4.3.2"] = "ECDSA with SHA-256",
        ["1.2.840.10045.4.3.3"] = "ECDSA with SHA-384",
        ["1.2.840.10045.4.3.4"] = "ECDSA with SHA-512",
        ["1.3.101.112"] = "Ed25519",
    };

    /// <summary>Signature algorithms whose hash browsers no longer accept (SHA-1 removed in Chrome 56).</summary>
    private static readonly HashSet<string> Weak = ["1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5", "1.2.840.10045.4.1",
        "1.2.840.113549.1.1.2", "1.2.840.113549.1.1.3"];

    public static string Describe(string oid) => Names.TryGetValue(oid, out var name) ? name : oid;

    public static bool IsWeak(string oid) => Weak.Contains(oid);
}
