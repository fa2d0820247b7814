using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests.Boxes;

/// <summary>
/// Certificates made by the engine for the protocol servers: a home CA (root → intermediate) issuing the bundles a box
/// receives, and a box's own self-signed web certificates as a NAS or Proxmox ships them. P-256, so making them is quick.
/// </summary>
internal static class ProtocolPki
{
    private static readonly Lazy<(IssuedCertificate Root, CertificateAuthority Intermediate)> Home = new(() =>
    {
        var issuer = new CertificateIssuer();
        var root = issuer.CreateRootCa(new RootCaOptions { Subject = DistinguishedName.Create("Box Test Root").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256, AllowIntermediates = true }).Value;
        var rootAuthority = CertificateAuthority.Create(root.Certificate, root.Key!).Value;
        var intermediate = issuer.CreateIntermediateCa(rootAuthority, new IntermediateCaOptions { Subject = DistinguishedName.Create("Box Test Intermediate").Value, ValidityDays = 3650 }).Value;
        return (root, CertificateAuthority.Create(intermediate.Certificate, intermediate.Key!, [root.Certificate]).Value);
    });

    public static string RootPem => Home.Value.Root.Certificate.ToPem();

    /// <summary>A leaf from the home CA for 127.0.0.1 and <paramref name="name"/>, as a delivery bundle.</summary>
    public static DeliveryBundle Bundle(string description, string name = "nas.home.arpa", int id = 7)
    {
        var leaf = Leaf(name);
        return new DeliveryBundle(
            id,
            description,
            leaf.Certificate.ToPem(),
            string.Concat(leaf.Chain.Where(c => !c.IsSelfIssued).Select(c => c.ToPem())),
            RootPem,
            KeyPem(leaf),
            leaf.Certificate.Sha256Fingerprint);
    }

    public static IssuedCertificate Leaf(string name = "nas.home.arpa") =>
        new CertificateIssuer().IssueLeaf(Home.Value.Intermediate, new LeafOptions
        {
            SubjectAlternativeNames = [SubjectAlternativeName.Dns(name), SubjectAlternativeName.Ip("127.0.0.1")],
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }).Value;

    /// <summary>A box's own web certificate: self-signed, as DSM and Proxmox make one at installation.</summary>
    public static X509Certificate2 SelfSigned(string name = "synology")
    {
        var issuer = new CertificateIssuer();
        var root = issuer.CreateRootCa(new RootCaOptions { Subject = DistinguishedName.Create(name).Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 }).Value;
        var leaf = issuer.IssueLeaf(CertificateAuthority.Create(root.Certificate, root.Key!).Value, new LeafOptions
        {
            SubjectAlternativeNames = [SubjectAlternativeName.Dns(name), SubjectAlternativeName.Ip("127.0.0.1")],
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }).Value;
        return WithKey(leaf);
    }

    /// <summary>The box's web certificate issued by the home CA (for trust home-ca).</summary>
    public static X509Certificate2 FromHomeCa(string name = "nas.home.arpa") => WithKey(Leaf(name));

    /// <summary>The intermediate and the root, as an operator pastes the home CA.</summary>
    public static string HomeCaPem => Home.Value.Intermediate.Certificate.ToPem() + RootPem;

    public static X509Certificate2 WithKey(IssuedCertificate issued) =>
        X509Certificate2.CreateFromPem(issued.Certificate.ToPem(), KeyPem(issued));

    /// <summary>The certificate and key of a PEM pair as Kestrel serves them.</summary>
    public static X509Certificate2 FromPem(string certificatePem, string keyPem) =>
        X509Certificate2.CreateFromPem(certificatePem, keyPem);

    public static string KeyPem(IssuedCertificate issued) => Pem.Encode(Pem.PrivateKeyLabel, issued.Key!.ExportPkcs8());

    public static string Fingerprint(X509Certificate2 certificate) => certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
}
