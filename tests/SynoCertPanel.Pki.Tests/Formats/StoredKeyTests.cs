using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Formats;

/// <summary>
/// The listener reads its stored key with .NET alone (<see cref="PrivateKey.FromStoredPkcs8"/>): it must give the same
/// public key as the full read, and refuse a key that is not the type its record names.
/// </summary>
public sealed class StoredKeyTests
{
    private static readonly Dictionary<KeyAlgorithm, PrivateKey> Keys = KeyAlgorithms.All.ToDictionary(a => a, KeyGenerator.Generate);

    public static TheoryData<KeyAlgorithm> Algorithms() => new(KeyAlgorithms.All);

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void FromStoredPkcs8_EachKeyType_SamePublicKeyAsTheFullRead(KeyAlgorithm algorithm)
    {
        var pkcs8 = Keys[algorithm].ExportPkcs8();
        var full = PrivateKey.FromPkcs8(pkcs8).Value;

        var stored = PrivateKey.FromStoredPkcs8(algorithm, pkcs8);

        Assert.True(stored.IsSuccess, stored.Error);
        Assert.Equal(algorithm, stored.Value.Algorithm);
        Assert.Equal(full.SubjectPublicKeyInfo.ToArray(), stored.Value.SubjectPublicKeyInfo.ToArray());
        Assert.Equal(pkcs8, stored.Value.ExportPkcs8());
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP384)]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    public void FromStoredPkcs8_CaKeyReadThisWay_StillIssues(KeyAlgorithm algorithm)
    {
        // P-384 signs through BouncyCastle, P-256 through .NET (KeyBackends.ForSigning): both must work from a key read this way.
        var root = TestPki.CreateRoot($"Stored {algorithm}", algorithm);
        var key = PrivateKey.FromStoredPkcs8(algorithm, root.Key.ExportPkcs8()).Value;
        var ca = CertificateAuthority.Create(root.Certificate, key).Value;

        var leaf = TestPki.IssueServer(ca, "nas.home.arpa", "nas.home.arpa");

        Assert.True(leaf.Certificate.IsSignedBy(root.Certificate));
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384)]
    [InlineData(KeyAlgorithm.EcdsaP384, KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.Rsa2048, KeyAlgorithm.Rsa4096)]
    [InlineData(KeyAlgorithm.Rsa3072, KeyAlgorithm.Rsa2048)]
    public void FromStoredPkcs8_KeyOfAnotherSize_Refused(KeyAlgorithm actual, KeyAlgorithm recorded)
    {
        var stored = PrivateKey.FromStoredPkcs8(recorded, Keys[actual].ExportPkcs8());

        Assert.False(stored.IsSuccess);
        Assert.Equal($"The private key is not the {recorded.ToDisplayName()} key its record names.", stored.Error);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, KeyAlgorithm.Rsa2048)]
    [InlineData(KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256)]
    public void FromStoredPkcs8_KeyOfAnotherKind_Refused(KeyAlgorithm actual, KeyAlgorithm recorded)
    {
        var stored = PrivateKey.FromStoredPkcs8(recorded, Keys[actual].ExportPkcs8());

        Assert.False(stored.IsSuccess);
        Assert.Contains($"not a readable {recorded.ToDisplayName()} PKCS#8 key", stored.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> Damaged()
    {
        var pkcs8 = Keys[KeyAlgorithm.EcdsaP256].ExportPkcs8();
        return new()
        {
            { "empty", [] },
            { "text", "not a key"u8.ToArray() },
            { "cut short", pkcs8[..^5] },
            { "a certificate", ThreeLevelChain.Shared.Leaf.Certificate.ToDer() },
        };
    }

    [Theory]
    [MemberData(nameof(Damaged))]
    public void FromStoredPkcs8_NotAKey_Refused(string what, byte[] data)
    {
        var stored = PrivateKey.FromStoredPkcs8(KeyAlgorithm.EcdsaP256, data);

        Assert.False(stored.IsSuccess, what);
        Assert.Contains("not a readable ECDSA P-256 PKCS#8 key", stored.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FromStoredPkcs8_DataAfterTheKey_Refused()
    {
        var stored = PrivateKey.FromStoredPkcs8(KeyAlgorithm.EcdsaP256, [.. Keys[KeyAlgorithm.EcdsaP256].ExportPkcs8(), 0x00]);

        Assert.False(stored.IsSuccess);
        Assert.Equal("The private key has data after its end.", stored.Error);
    }

    [Fact]
    public void FromStoredPkcs8_PublicHalfWrong_StillReadsButDoesNotMatchTheCertificate()
    {
        // The key stored with a certificate is checked against it by public key: a key of the right type but another
        // value reads, and the match check (the listener's) then refuses it.
        var other = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);
        var stored = PrivateKey.FromStoredPkcs8(KeyAlgorithm.EcdsaP256, other.ExportPkcs8()).Value;

        Assert.False(stored.MatchesPublicKey(Keys[KeyAlgorithm.EcdsaP256].SubjectPublicKeyInfo.Span));
        Assert.True(stored.MatchesPublicKey(other.SubjectPublicKeyInfo.Span));
    }
}
