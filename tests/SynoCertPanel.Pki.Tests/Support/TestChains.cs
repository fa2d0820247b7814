using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Pki.Tests.Support;

/// <summary>A three-level hierarchy made through the public API: root (allowing intermediates) → intermediate → leaf.</summary>
public sealed class ThreeLevelChain
{
    private static readonly Lazy<ThreeLevelChain> SharedChain = new(() => new ThreeLevelChain("Chain"));

    public ThreeLevelChain(string name)
    {
        var issuer = new CertificateIssuer();
        var root = issuer.CreateRootCa(new RootCaOptions
        {
            Subject = DistinguishedName.Create($"{name} Root", "Home Lab").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            AllowIntermediates = true,
        }).Value;
        Root = CertificateAuthority.Create(root.Certificate, root.Key!).Value;
        var intermediate = issuer.CreateIntermediateCa(Root, new IntermediateCaOptions
        {
            Subject = DistinguishedName.Create($"{name} Intermediate", "Home Lab").Value,
        }).Value;
        Intermediate = CertificateAuthority.Create(intermediate.Certificate, intermediate.Key!, intermediate.Chain).Value;
        Leaf = TestPki.IssueServer(Intermediate, "nas.home.arpa", "nas.home.arpa");
    }

    public static ThreeLevelChain Shared => SharedChain.Value;

    public CertificateAuthority Root { get; }

    public CertificateAuthority Intermediate { get; }

    public IssuedCertificate Leaf { get; }
}
