using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.KeyStorage;

/// <summary>
/// A CA key read back from storage with .NET's parser (<see cref="PrivateKey.FromStoredPkcs8"/>) signs, with either
/// backend, certificates that openssl verifies (the reading rules themselves: Formats/StoredKeyTests).
/// </summary>
public sealed class StoredKeySigningTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<KeyAlgorithm> Algorithms => [.. KeyAlgorithms.All];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void FromStored_CaKeyOfEachType_SignsALeafOpenSslVerifies(KeyAlgorithm algorithm)
    {
        var issuer = new CertificateIssuer(TimeProvider.System);
        var root = issuer.CreateRootCa(new RootCaOptions { Subject = DistinguishedName.Create("Stored Key Root CA").Value, KeyAlgorithm = algorithm }).Value;
        var reloaded = PrivateKey.FromStoredPkcs8(algorithm, root.Key!.ExportPkcs8()).Value;

        var leaf = issuer.IssueLeaf(CertificateAuthority.Create(root.Certificate, reloaded).Value, new LeafOptions
        {
            Subject = DistinguishedName.Create("stored.lab.internal").Value,
            SubjectAlternativeNames = SanParser.ParseAll(["stored.lab.internal"]).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        });

        Assert.True(leaf.IsSuccess, leaf.Error);
        Assert.True(leaf.Value.Certificate.IsSignedBy(root.Certificate));
        var verify = OpenSsl.VerifyServer(_dir, root.Certificate, leaf.Value.Certificate);
        Assert.True(verify.ExitCode == 0, verify.All);
    }
}
