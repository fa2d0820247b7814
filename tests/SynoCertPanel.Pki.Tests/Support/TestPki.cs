using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Pki.Tests.Support;

/// <summary>Shortcuts for tests: a root CA and leaves made through the public API.</summary>
public static class TestPki
{
    private static readonly Lazy<CertificateAuthority> SharedRoot = new(() => CreateRoot("SynoCertPanel Test Root", KeyAlgorithm.EcdsaP256));

    /// <summary>One P-256 root per test run, for tests that do not care about the CA's details.</summary>
    public static CertificateAuthority Root => SharedRoot.Value;

    public static CertificateAuthority CreateRoot(string commonName, KeyAlgorithm algorithm, Pki.Profiles.NameConstraints? constraints = null,
        CertificateIssuer? issuer = null, bool allowIntermediates = false)
    {
        var root = (issuer ?? new CertificateIssuer()).CreateRootCa(new RootCaOptions
        {
            Subject = DistinguishedName.Create(commonName, "Home Lab").Value,
            KeyAlgorithm = algorithm,
            NameConstraints = constraints ?? Pki.Profiles.NameConstraints.None,
            AllowIntermediates = allowIntermediates,
        }).Value;
        return CertificateAuthority.Create(root.Certificate, root.Key!).Value;
    }

    public static IReadOnlyList<SubjectAlternativeName> Names(params string[] entries) => SanParser.ParseAll(entries).Value;

    public static IssuedCertificate IssueServer(CertificateAuthority ca, string commonName, params string[] names) =>
        new CertificateIssuer().IssueLeaf(ca, new LeafOptions
        {
            Subject = DistinguishedName.Create(commonName).Value,
            SubjectAlternativeNames = Names(names),
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }).Value;
}
