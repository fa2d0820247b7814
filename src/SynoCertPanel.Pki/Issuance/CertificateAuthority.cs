using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Pki.Issuance;

/// <summary>A CA that can sign: its certificate, its private key, and the certificates above it (none for a root).</summary>
public sealed class CertificateAuthority
{
    private CertificateAuthority(Certificate certificate, PrivateKey key, IReadOnlyList<Certificate> chainAbove)
    {
        Certificate = certificate;
        Key = key;
        ChainAbove = chainAbove;
    }

    public Certificate Certificate { get; }

    public PrivateKey Key { get; }

    /// <summary>Issuers above this CA, nearest first; empty for a root.</summary>
    public IReadOnlyList<Certificate> ChainAbove { get; }

    /// <summary>The chain a leaf issued here is served with: this CA, then the ones above it.</summary>
    public IReadOnlyList<Certificate> ChainForIssued => [Certificate, .. ChainAbove];

    public NameConstraints? NameConstraints => Certificate.NameConstraints;

    public static Result<CertificateAuthority> Create(Certificate certificate, PrivateKey key, IReadOnlyList<Certificate>? chainAbove = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        if (!certificate.IsCertificateAuthority)
        {
            return Result.Failure<CertificateAuthority>($"\"{Display.Literal(certificate.SubjectText)}\" is not a CA certificate (basicConstraints CA:TRUE is missing).");
        }

        if (certificate.KeyUsages is { } usages && !usages.HasFlag(KeyUsages.KeyCertSign))
        {
            return Result.Failure<CertificateAuthority>($"\"{Display.Literal(certificate.SubjectText)}\" may not sign certificates (its key usage lacks keyCertSign).");
        }

        if (ExplicitCurveParameters.Problem(certificate, $"The CA \"{Display.Literal(certificate.SubjectText)}\"") is { } explicitCurve)
        {
            return Result.Failure<CertificateAuthority>(explicitCurve);
        }

        if (!certificate.Matches(key))
        {
            return Result.Failure<CertificateAuthority>("The private key does not belong to this CA certificate.");
        }

        return Result.Success(new CertificateAuthority(certificate, key, chainAbove ?? []));
    }

    public override string ToString() => Certificate.SubjectText;
}
