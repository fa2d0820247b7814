using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.KeyStorage;

/// <summary>
/// A key the panel stored itself is read with .NET's parser (<see cref="PrivateKey.FromStoredPkcs8"/>): it must be the
/// same key as the fully checked read gives, sign what openssl verifies, and anything unexpected must get the full check.
/// </summary>
public sealed class StoredKeyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<KeyAlgorithm> Algorithms => [.. KeyAlgorithms.All];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void FromStored_EachKeyType_SameKeyAsTheCheckedRead(KeyAlgorithm algorithm)
    {
        var original = KeyGenerator.Generate(algorithm);

        var stored = PrivateKey.FromStoredPkcs8(algorithm, original.ExportPkcs8());
        var checkedRead = PrivateKey.FromPkcs8(original.ExportPkcs8());

        Assert.True(stored.IsSuccess, stored.Error);
        Assert.Equal(algorithm, stored.Value.Algorithm);
        Assert.Equal(checkedRead.Value.SubjectPublicKeyInfo.ToArray(), stored.Value.SubjectPublicKeyInfo.ToArray());
        Assert.Equal(original.SubjectPublicKeyInfo.ToArray(), stored.Value.SubjectPublicKeyInfo.ToArray());
        // The bytes stay as they were stored (a key made by .NET keeps .NET's encoding; the checked read re-encodes it).
        Assert.Equal(original.ExportPkcs8(), stored.Value.ExportPkcs8());
    }

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

    [Theory]
    [InlineData(KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384)]
    [InlineData(KeyAlgorithm.EcdsaP384, KeyAlgorithm.Rsa2048)]
    [InlineData(KeyAlgorithm.Rsa3072, KeyAlgorithm.Rsa2048)]
    public void FromStored_AnotherTypeThanStated_TheCheckedReadNamesTheRealType(KeyAlgorithm stated, KeyAlgorithm actual)
    {
        var key = KeyGenerator.Generate(actual);

        var read = PrivateKey.FromStoredPkcs8(stated, key.ExportPkcs8());

        Assert.True(read.IsSuccess, read.Error);
        Assert.Equal(actual, read.Value.Algorithm);
        Assert.Equal(key.SubjectPublicKeyInfo.ToArray(), read.Value.SubjectPublicKeyInfo.ToArray());
    }

    public static TheoryData<string, byte[]> Hostile
    {
        get
        {
            var pkcs8 = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256).ExportPkcs8();
            return new TheoryData<string, byte[]>
            {
                { "empty", [] },
                { "garbage", [.. Enumerable.Range(0, 200).Select(i => (byte)(i * 37))] },
                { "truncated", pkcs8[..(pkcs8.Length / 2)] },
                { "trailing bytes", [.. pkcs8, 0x00, 0x01] },
                { "nested too deep", [.. Enumerable.Repeat((byte)0x30, 400), .. Enumerable.Repeat((byte)0x80, 1)] },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void FromStored_HostileBytes_SameAnswerAsTheCheckedRead(string what, byte[] bytes)
    {
        var stored = PrivateKey.FromStoredPkcs8(KeyAlgorithm.EcdsaP256, bytes);
        var checkedRead = PrivateKey.FromPkcs8(bytes);

        Assert.False(checkedRead.IsSuccess && !stored.IsSuccess, what);
        Assert.Equal(checkedRead.IsSuccess, stored.IsSuccess);
        Assert.Equal(checkedRead.Error, stored.Error);
    }
}
