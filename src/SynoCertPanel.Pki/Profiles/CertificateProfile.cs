namespace SynoCertPanel.Pki.Profiles;

[Flags]
public enum KeyUsages
{
    None = 0,
    DigitalSignature = 1,
    KeyEncipherment = 2,
    KeyCertSign = 4,
    CrlSign = 8,
}

public enum ExtendedKeyUsage
{
    ServerAuth,
    ClientAuth,
}

/// <summary>
/// What a kind of certificate carries and how long it may live, as named data. The numbers and their
/// reasons are in ../shared/design/TRUST-RULES.md; each one says why it is what it is.
/// </summary>
public sealed record CertificateProfile
{
    public required string Name { get; init; }

    public required bool IsCertificateAuthority { get; init; }

    /// <summary>basicConstraints pathLenConstraint for CAs; null means unlimited (never used by us).</summary>
    public int? PathLength { get; init; }

    /// <summary>Key usages for an RSA key; ECDSA keys drop keyEncipherment (they cannot encrypt).</summary>
    public required KeyUsages KeyUsages { get; init; }

    public IReadOnlyList<ExtendedKeyUsage> ExtendedKeyUsages { get; init; } = [];

    public required int DefaultValidityDays { get; init; }

    public required int MaxValidityDays { get; init; }

    /// <summary>
    /// A root the panel makes: CA:TRUE critical with pathLen 0 (it signs only leaves), keyCertSign and
    /// cRLSign critical. Ten years, like mkcert's root; 25 at most so a forgotten root still expires.
    /// </summary>
    public static CertificateProfile RootCa { get; } = new()
    {
        Name = "Root CA",
        IsCertificateAuthority = true,
        PathLength = 0,
        KeyUsages = KeyUsages.KeyCertSign | KeyUsages.CrlSign | KeyUsages.DigitalSignature,
        DefaultValidityDays = 3650,
        MaxValidityDays = 9132,
    };

    /// <summary>A root that will sign one level of intermediate CAs (pathLen 1).</summary>
    public static CertificateProfile RootCaWithIntermediates { get; } = RootCa with
    {
        Name = "Root CA (with intermediates)",
        PathLength = 1,
    };

    /// <summary>An issuing CA below a root; pathLen 0 because it signs only leaves (RFC 5280 4.2.1.9).</summary>
    public static CertificateProfile IntermediateCa { get; } = new()
    {
        Name = "Intermediate CA",
        IsCertificateAuthority = true,
        PathLength = 0,
        KeyUsages = KeyUsages.KeyCertSign | KeyUsages.CrlSign | KeyUsages.DigitalSignature,
        DefaultValidityDays = 1825,
        MaxValidityDays = 3652,
    };

    /// <summary>
    /// A TLS server certificate. 397 days by default; 825 at most, Apple's limit for certificates from
    /// user-installed roots (support.apple.com/103769). digitalSignature (+ keyEncipherment for RSA) because
    /// Chrome 124+ enforces key usage for local anchors (ERR_SSL_KEY_USAGE_INCOMPATIBLE).
    /// </summary>
    public static CertificateProfile TlsServer { get; } = new()
    {
        Name = "TLS server",
        IsCertificateAuthority = false,
        KeyUsages = KeyUsages.DigitalSignature | KeyUsages.KeyEncipherment,
        ExtendedKeyUsages = [ExtendedKeyUsage.ServerAuth],
        DefaultValidityDays = 397,
        MaxValidityDays = 825,
    };

    /// <summary>A TLS client certificate (mutual TLS to a box).</summary>
    public static CertificateProfile TlsClient { get; } = new()
    {
        Name = "TLS client",
        IsCertificateAuthority = false,
        KeyUsages = KeyUsages.DigitalSignature | KeyUsages.KeyEncipherment,
        ExtendedKeyUsages = [ExtendedKeyUsage.ClientAuth],
        DefaultValidityDays = 397,
        MaxValidityDays = 825,
    };

    public KeyUsages KeyUsagesFor(Keys.KeyAlgorithm algorithm) =>
        Keys.KeyAlgorithms.IsRsa(algorithm) ? KeyUsages : KeyUsages & ~KeyUsages.KeyEncipherment;

    public Result<int> CheckValidity(int days) => days switch
    {
        < 1 => Result.Failure<int>("Validity must be at least one day."),
        _ when days > MaxValidityDays => Result.Failure<int>(
            $"Validity of {days} days is too long for a {Name} certificate: at most {MaxValidityDays} days"
            + (IsCertificateAuthority ? "." : " (Apple devices reject longer-lived certificates from private CAs).")),
        _ => Result.Success(days),
    };
}
