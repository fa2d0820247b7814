using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Pki.Lint.Rules;

internal enum CertificateRole
{
    Server,
    Authority,
}

/// <summary>One certificate of the path being linted, with what its rules need to know about its neighbours.</summary>
internal sealed class LintSubject
{
    private readonly Lazy<bool> _isSelfSigned;

    public LintSubject(Certificate certificate, CertificateRole role, Certificate? issuer, Certificate? server,
        int authoritiesBelow, bool isLast, LintOptions options)
    {
        Certificate = certificate;
        Role = role;
        Issuer = issuer;
        Server = server;
        AuthoritiesBelow = authoritiesBelow;
        IsLast = isLast;
        Options = options;
        _isSelfSigned = new Lazy<bool>(() => certificate.IsSelfIssued && certificate.IsSignedBy(certificate));
    }

    public Certificate Certificate { get; }

    public CertificateRole Role { get; }

    /// <summary>The next certificate up the chain; null for the last one.</summary>
    public Certificate? Issuer { get; }

    /// <summary>The server certificate at the bottom of the path; null when a CA is linted on its own.</summary>
    public Certificate? Server { get; }

    /// <summary>Non-self-issued CAs between this one and the server certificate, for pathLenConstraint (RFC 5280 4.2.1.9).</summary>
    public int AuthoritiesBelow { get; }

    public bool IsLast { get; }

    public LintOptions Options { get; }

    /// <summary>A root: same subject and issuer, and its own key verifies its signature.</summary>
    public bool IsSelfSigned => _isSelfSigned.Value;

    /// <summary>How messages name this certificate.</summary>
    public string Name => Role == CertificateRole.Server
        ? "The server certificate"
        : $"The CA \"{Display.Literal(Certificate.Subject.CommonName ?? Certificate.SubjectText)}\"";
}
