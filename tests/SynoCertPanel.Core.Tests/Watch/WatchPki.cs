using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests.Watch;

/// <summary>
/// A home CA (root → intermediate) made by the engine, and the server certificates the probe tests serve:
/// current, expired, expiring in 5 days, for another name, self-signed. All P-256, so making them is quick.
/// </summary>
internal sealed class WatchPki
{
    public const string BoxName = "nas.home.arpa";

    private WatchPki(IssuedCertificate root, IssuedCertificate intermediate)
    {
        Root = root;
        Intermediate = intermediate;
        IntermediateAuthority = CertificateAuthority.Create(intermediate.Certificate, intermediate.Key!, [root.Certificate]).Value;
    }

    public IssuedCertificate Root { get; }

    public IssuedCertificate Intermediate { get; }

    public CertificateAuthority IntermediateAuthority { get; }

    public static DateTimeOffset Now => DateTimeOffset.UtcNow;

    /// <summary>Made once for all tests: a root that started a year ago, so leaves can be issued in the past.</summary>
    public static WatchPki Shared { get; } = Create();

    private static WatchPki Create()
    {
        var past = new CertificateIssuer(new FixedClock(Now.AddDays(-365)));
        var root = past.CreateRootCa(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Watch Test Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            AllowIntermediates = true,
        }).Value;
        var rootAuthority = CertificateAuthority.Create(root.Certificate, root.Key!).Value;
        var intermediate = past.CreateIntermediateCa(rootAuthority, new IntermediateCaOptions
        {
            Subject = DistinguishedName.Create("Watch Test Intermediate").Value,
            ValidityDays = 3650,
        }).Value;
        return new WatchPki(root, intermediate);
    }

    /// <summary>A server certificate for <paramref name="names"/> issued <paramref name="issuedDaysAgo"/> days ago for <paramref name="validityDays"/> days.</summary>
    public IssuedCertificate Leaf(string[]? names = null, int issuedDaysAgo = 0, int validityDays = 397)
    {
        var issuer = new CertificateIssuer(new FixedClock(Now.AddDays(-issuedDaysAgo)));
        return issuer.IssueLeaf(IntermediateAuthority, new LeafOptions
        {
            SubjectAlternativeNames = [.. (names ?? [BoxName, "127.0.0.1", "::1"]).Select(n => SubjectAlternativeName.Parse(n).Value)],
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            ValidityDays = validityDays,
        }).Value;
    }

    /// <summary>A self-signed server certificate no root here vouches for.</summary>
    public static IssuedCertificate SelfSigned(string name = BoxName)
    {
        var issuer = new CertificateIssuer();
        var root = issuer.CreateRootCa(new RootCaOptions { Subject = DistinguishedName.Create("Stranger Root").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 }).Value;
        var stranger = CertificateAuthority.Create(root.Certificate, root.Key!).Value;
        var leaf = issuer.IssueLeaf(stranger, new LeafOptions
        {
            SubjectAlternativeNames = [SubjectAlternativeName.Dns(name), SubjectAlternativeName.Ip("127.0.0.1")],
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }).Value;
        return leaf with { Chain = [] };
    }

    /// <summary>The leaf with its key, as SslStream wants it.</summary>
    public static X509Certificate2 WithKey(IssuedCertificate issued) =>
        X509Certificate2.CreateFromPem(issued.Certificate.ToPem(), PemKey(issued));

    public static string PemKey(IssuedCertificate issued) =>
        SynoCertPanel.Pki.Formats.Pem.Encode(SynoCertPanel.Pki.Formats.Pem.PrivateKeyLabel, issued.Key!.ExportPkcs8());
}
