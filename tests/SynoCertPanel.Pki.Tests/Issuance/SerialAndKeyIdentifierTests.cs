using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Issuance;

public class SerialAndKeyIdentifierTests
{
    [Fact]
    public void IssueLeaf_ThousandIssues_SerialsPositiveSixteenOctetsAndUnique()
    {
        var issuer = new CertificateIssuer();
        var key = KeyGenerator.Generate(KeyAlgorithm.EcdsaP256);
        var serials = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            var leaf = issuer.IssueLeaf(TestPki.Root, new LeafOptions
            {
                SubjectAlternativeNames = TestPki.Names("nas.home.arpa"),
                ExistingKey = key,
            }).Value.Certificate;

            Assert.Equal(1, leaf.SerialNumber.SignValue);
            Assert.Equal(SerialNumbers.Length, leaf.SerialNumber.ToByteArray().Length);
            Assert.True(serials.Add(leaf.SerialNumberHex), $"serial {leaf.SerialNumberHex} repeated");
        }
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0xFF)]
    [InlineData(0x80)]
    public void NewRandom_ExtremeRandomBytes_StillPositiveSixteenOctets(byte fill)
    {
        var serial = SerialNumbers.NewRandom(bytes => bytes.Fill(fill));

        Assert.Equal(1, serial.SignValue);
        Assert.Equal(SerialNumbers.Length, serial.ToByteArray().Length);
    }

    [Fact]
    public void IssueLeaf_KeyIdentifiers_AkiMatchesIssuerSkiAsOpenSslReadsThem()
    {
        var root = TestPki.Root.Certificate;
        var leaf = TestPki.IssueServer(TestPki.Root, "nas.home.arpa").Certificate;

        Assert.NotNull(root.SubjectKeyIdentifier);
        Assert.Equal(20, root.SubjectKeyIdentifier.Length);
        Assert.Equal(root.SubjectKeyIdentifier, root.AuthorityKeyIdentifier);
        Assert.Equal(root.SubjectKeyIdentifier, leaf.AuthorityKeyIdentifier);
        Assert.NotEqual(root.SubjectKeyIdentifier, leaf.SubjectKeyIdentifier);
        var rootSki = Convert.ToHexString(root.SubjectKeyIdentifier);
        var rootText = OpenSsl.Text(root).Replace(":", "", StringComparison.Ordinal);
        var leafText = OpenSsl.Text(leaf).Replace(":", "", StringComparison.Ordinal);
        Assert.Matches($@"X509v3 Subject Key Identifier\s+{rootSki}", rootText);
        Assert.Matches($@"X509v3 Authority Key Identifier\s+(keyid)?{rootSki}", leafText);
    }

    [Fact]
    public void CreateIntermediateCa_KeyIdentifiers_ChainedBySki()
    {
        var root = TestPki.CreateRoot("KeyId Root", KeyAlgorithm.EcdsaP256, allowIntermediates: true);
        var intermediate = new CertificateIssuer().CreateIntermediateCa(root, new IntermediateCaOptions
        {
            Subject = DistinguishedName.Create("KeyId Issuing CA").Value,
        }).Value;
        var ca = CertificateAuthority.Create(intermediate.Certificate, intermediate.Key!, intermediate.Chain).Value;
        var leaf = TestPki.IssueServer(ca, "nas.home.arpa").Certificate;

        Assert.NotNull(intermediate.Certificate.SubjectKeyIdentifier);
        Assert.Equal(root.Certificate.SubjectKeyIdentifier, intermediate.Certificate.AuthorityKeyIdentifier);
        Assert.Equal(intermediate.Certificate.SubjectKeyIdentifier, leaf.AuthorityKeyIdentifier);
    }
}
