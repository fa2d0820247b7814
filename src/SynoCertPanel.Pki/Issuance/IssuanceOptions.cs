using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Pki.Issuance;

/// <summary>Step 1 of the self-signed wizard: the root CA.</summary>
public sealed record RootCaOptions
{
    public required DistinguishedName Subject { get; init; }

    /// <summary>RSA 3072 by default, as mkcert's root: strong for its ten years, accepted everywhere.</summary>
    public KeyAlgorithm KeyAlgorithm { get; init; } = KeyAlgorithm.Rsa3072;

    public int? ValidityDays { get; init; }

    public NameConstraints NameConstraints { get; init; } = NameConstraints.None;

    /// <summary>Allow one level of intermediate CAs below this root (pathLen 1 instead of 0).</summary>
    public bool AllowIntermediates { get; init; }
}

/// <summary>An intermediate CA below a root held here.</summary>
public sealed record IntermediateCaOptions
{
    public required DistinguishedName Subject { get; init; }

    public KeyAlgorithm KeyAlgorithm { get; init; } = KeyAlgorithm.EcdsaP256;

    public int? ValidityDays { get; init; }

    public NameConstraints NameConstraints { get; init; } = NameConstraints.None;
}

/// <summary>Step 2 of the self-signed wizard (or a certificate issued later): a leaf for a box.</summary>
public sealed record LeafOptions
{
    /// <summary>The subject; an empty common name is filled with the first name.</summary>
    public DistinguishedName Subject { get; init; } = new();

    public IReadOnlyList<SubjectAlternativeName> SubjectAlternativeNames { get; init; } = [];

    /// <summary>RSA 2048 by default: the type every appliance and old client accepts.</summary>
    public KeyAlgorithm KeyAlgorithm { get; init; } = KeyAlgorithm.Rsa2048;

    /// <summary>Use this key instead of generating one (renewal keeping the key, tests).</summary>
    public PrivateKey? ExistingKey { get; init; }

    public int? ValidityDays { get; init; }

    public CertificateProfile Profile { get; init; } = CertificateProfile.TlsServer;
}

/// <summary>What the operator approves when signing a CSR made elsewhere.</summary>
public sealed record SignRequestOptions
{
    /// <summary>The names to put in the certificate; null takes the request's own (after checking each).</summary>
    public IReadOnlyList<SubjectAlternativeName>? SubjectAlternativeNames { get; init; }

    public int? ValidityDays { get; init; }

    /// <summary>
    /// An exact lifetime, for ACME's policy (1 hour and up); overrides <see cref="ValidityDays"/>. Still capped by the
    /// profile's maximum and cut at the issuer's end.
    /// </summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>
    /// Keep only the request's common name from its subject: ACME validates names, not organisations or places, so a
    /// request's other subject attributes would be vouched for unchecked.
    /// </summary>
    public bool CommonNameOnly { get; init; }

    /// <summary>
    /// The issuer's CRL URL to name in the certificate (ACME directories whose operator asked for it); null names none,
    /// because a client that cannot reach a named CRL may refuse the certificate.
    /// </summary>
    public Uri? CrlDistributionPoint { get; init; }

    public CertificateProfile Profile { get; init; } = CertificateProfile.TlsServer;
}

/// <summary>A new key and the request carrying an existing certificate's subject and names.</summary>
public sealed record RenewalRequest(PrivateKey Key, CertificateSigningRequest Request);
