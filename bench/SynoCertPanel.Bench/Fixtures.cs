using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Bench;

/// <summary>The two crypto backends, as a benchmark parameter.</summary>
public enum Backend
{
    DotNet,
    BouncyCastle,
}

/// <summary>CAs, keys and requests made once, before timing.</summary>
public static class Fixtures
{
    public static readonly CertificateIssuer Issuer = new();

    internal static IKeyBackend Resolve(Backend backend) =>
        backend == Backend.DotNet ? KeyBackends.DotNet : KeyBackends.BouncyCastle;

    public static CertificateAuthority CreateCa(KeyAlgorithm algorithm)
    {
        var root = Issuer.CreateRootCa(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Bench Root CA", "Home Lab").Value,
            KeyAlgorithm = algorithm,
        }).Value;
        return CertificateAuthority.Create(root.Certificate, root.Key!).Value;
    }

    public static IReadOnlyList<SubjectAlternativeName> ServerNames { get; } =
        SanParser.ParseList("nas.home.arpa, diskstation.local, 192.168.1.10").Value;

    public static CertificateSigningRequest CreateRequest(KeyAlgorithm algorithm) =>
        CertificateIssuer.CreateSigningRequest(DistinguishedName.Create("nas.home.arpa").Value, ServerNames,
            KeyGenerator.Generate(algorithm)).Value;
}
