using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Issuance;

public class CommonNameTests
{
    private static Result<IssuedCertificate> Issue(DistinguishedName subject, params string[] names) =>
        new CertificateIssuer().IssueLeaf(TestPki.Root, new LeafOptions
        {
            Subject = subject,
            SubjectAlternativeNames = TestPki.Names(names),
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        });

    [Fact]
    public void IssueLeaf_CommonNameNotInSans_MirroredAsFirstSan()
    {
        var leaf = Issue(DistinguishedName.Create("nas.home.arpa").Value, "10.0.0.5").Value.Certificate;

        Assert.Equal(["DNS:nas.home.arpa", "IP:10.0.0.5"], leaf.SubjectAlternativeNames.Select(n => n.ToString()));
        Assert.Matches(@"X509v3 Subject Alternative Name:\s+DNS:nas.home.arpa, IP Address:10.0.0.5", OpenSsl.Text(leaf));
    }

    [Fact]
    public void IssueLeaf_CommonNameIsAddress_MirroredAsIpSan()
    {
        var leaf = Issue(DistinguishedName.Create("192.168.1.2").Value).Value.Certificate;

        Assert.Equal(["IP:192.168.1.2"], leaf.SubjectAlternativeNames.Select(n => n.ToString()));
    }

    [Fact]
    public void IssueLeaf_CommonNameAlreadyInSansInOtherCase_NotDuplicated()
    {
        var leaf = Issue(DistinguishedName.Create("NAS.lan").Value, "nas.lan", "10.0.0.5").Value.Certificate;

        Assert.Equal(["DNS:nas.lan", "IP:10.0.0.5"], leaf.SubjectAlternativeNames.Select(n => n.ToString()));
        Assert.Equal("NAS.lan", leaf.Subject.CommonName);
    }

    [Fact]
    public void IssueLeaf_EmptyCommonName_FilledFromFirstSan()
    {
        var leaf = Issue(new DistinguishedName(), "b.lan", "c.lan").Value.Certificate;

        Assert.Equal("b.lan", leaf.Subject.CommonName);
        Assert.Matches(@"Subject: CN\s*=\s*b\.lan", OpenSsl.Text(leaf));
    }

    [Fact]
    public void IssueLeaf_ClientWithEmptyCommonNameAndEmailFirst_FilledFromFirstHostName()
    {
        // Client certificates may carry e-mail names (server certificates may not): the CN still skips them.
        var leaf = new CertificateIssuer().IssueLeaf(TestPki.Root, new LeafOptions
        {
            Subject = DistinguishedName.Create(null, "Home").Value,
            SubjectAlternativeNames = TestPki.Names("admin@nas.lan", "10.0.0.7"),
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            Profile = Profiles.CertificateProfile.TlsClient,
        }).Value.Certificate;

        Assert.Equal("10.0.0.7", leaf.Subject.CommonName);
        Assert.Equal("Home", leaf.Subject.Organization);
    }

    [Fact]
    public void IssueLeaf_CommonNameNotAHostName_KeptOutOfSans()
    {
        var leaf = Issue(DistinguishedName.Create("My NAS").Value, "nas.lan").Value.Certificate;

        Assert.Equal("My NAS", leaf.Subject.CommonName);
        Assert.Equal(["DNS:nas.lan"], leaf.SubjectAlternativeNames.Select(n => n.ToString()));
    }

    [Fact]
    public void IssueLeaf_NoHostNameAtAll_RefusedWithReason()
    {
        var result = Issue(DistinguishedName.Create("My NAS").Value);

        Assert.False(result.IsSuccess);
        Assert.Contains("at least one DNS name or IP address", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void IssueLeaf_ServerWithOnlyEmailSan_RefusedWithReason()
    {
        var result = Issue(new DistinguishedName(), "admin@nas.lan");

        Assert.False(result.IsSuccess);
        Assert.Equal("Server certificates carry DNS names and IP addresses only; remove \"email:admin@nas.lan\".", result.Error);
    }

    [Fact]
    public void IssueLeaf_IdnCommonName_SanInPunycode()
    {
        var leaf = Issue(DistinguishedName.Create("bücher.home.arpa").Value).Value.Certificate;

        var san = Assert.Single(leaf.SubjectAlternativeNames);
        Assert.Equal("xn--bcher-kva.home.arpa", san.Value);
        Assert.Equal("bücher.home.arpa", san.DisplayValue);
    }

    [Fact]
    public void IssueLeaf_CommonNamePlusHundredSans_RefusedAsTooMany()
    {
        var names = Enumerable.Range(1, SanParser.MaxEntries).Select(i => $"n{i}.lan").ToArray();

        var result = Issue(DistinguishedName.Create("extra.lan").Value, names);

        Assert.False(result.IsSuccess);
        Assert.Contains("Too many names", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Smith, Jones + Co")]
    [InlineData("#1 Lab")]
    [InlineData(@"\\server")]
    [InlineData("Bücher & Co \"quoted\"")]
    public void IssueLeaf_SpecialCharactersInSubject_ReadBackUnchanged(string organization)
    {
        var subject = DistinguishedName.Create("nas.lan", organization, "Lab #2", "Köln", "NRW", "de", "admin@nas.lan").Value;

        var result = Issue(subject);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(subject, result.Value.Certificate.Subject);
        Assert.Contains(organization, OpenSsl.Run(System.Text.Encoding.ASCII.GetBytes(result.Value.Certificate.ToPem()),
            "x509", "-noout", "-subject", "-nameopt", "utf8,sep_comma_plus_space,esc_ctrl").Output, StringComparison.Ordinal);
    }
}
