using System.Text.RegularExpressions;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Tests.Support;

namespace SynoCertPanel.Pki.Tests.Issuance;

public class ValidityTests
{
    private static readonly DateTimeOffset Start = new(2030, 3, 1, 12, 30, 45, TimeSpan.Zero);

    private static CertificateAuthority Root(FakeClock clock, int validityDays)
    {
        var issued = new CertificateIssuer(clock).CreateRootCa(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Clocked Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            ValidityDays = validityDays,
        });
        Assert.True(issued.IsSuccess, issued.Error);
        return CertificateAuthority.Create(issued.Value.Certificate, issued.Value.Key!).Value;
    }

    private static Result<IssuedCertificate> Leaf(FakeClock clock, CertificateAuthority root, int? days) =>
        new CertificateIssuer(clock).IssueLeaf(root, new LeafOptions
        {
            SubjectAlternativeNames = TestPki.Names("nas.home.arpa"),
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            ValidityDays = days,
        });

    [Fact]
    public void IssueLeaf_DefaultValidity_397DaysFromBackdatedNotBefore()
    {
        var clock = new FakeClock(Start);
        var leaf = Leaf(clock, Root(clock, 3650), null).Value.Certificate;

        Assert.Equal(new DateTimeOffset(2030, 3, 1, 11, 30, 45, TimeSpan.Zero), leaf.NotBefore);
        Assert.Equal(TimeSpan.FromDays(397), leaf.Validity);
    }

    [Fact]
    public void IssueLeaf_LongerThanIssuer_ClippedToIssuerNotAfterWithWarning()
    {
        var clock = new FakeClock(Start);
        var root = Root(clock, 100);
        clock.Advance(TimeSpan.FromDays(30));

        var result = Leaf(clock, root, 397);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(root.Certificate.NotAfter, result.Value.Certificate.NotAfter);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("shortened", warning, StringComparison.Ordinal);
        Assert.Contains(root.Certificate.NotAfter.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), warning, StringComparison.Ordinal);
    }

    [Fact]
    public void IssueLeaf_InsideIssuerValidity_NoWarning()
    {
        var clock = new FakeClock(Start);

        var result = Leaf(clock, Root(clock, 3650), 30);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void IssueLeaf_825Days_AcceptedExactly()
    {
        var clock = new FakeClock(Start);

        var result = Leaf(clock, Root(clock, 3650), 825);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(TimeSpan.FromDays(825), result.Value.Certificate.Validity);
    }

    [Theory]
    [InlineData(826, "at most 825 days")]
    [InlineData(3650, "at most 825 days")]
    [InlineData(0, "at least one day")]
    [InlineData(-5, "at least one day")]
    public void IssueLeaf_ValidityOutOfRange_Refused(int days, string reason)
    {
        var clock = new FakeClock(Start);

        var result = Leaf(clock, Root(clock, 3650), days);

        Assert.False(result.IsSuccess);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SignRequest_ValidityOver825Days_Refused()
    {
        var clock = new FakeClock(Start);
        var request = CertificateIssuer.CreateSigningRequest(new DistinguishedName(), TestPki.Names("nas.lan"),
            KeyGenerator.Generate(KeyAlgorithm.EcdsaP256)).Value;

        var result = new CertificateIssuer(clock).SignRequest(Root(clock, 3650), request, new SignRequestOptions { ValidityDays = 900 });

        Assert.False(result.IsSuccess);
        Assert.Contains("Apple", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void IssueLeaf_IssuerExpired_RefusedNamingIssuer()
    {
        var clock = new FakeClock(Start);
        var root = Root(clock, 10);
        clock.Advance(TimeSpan.FromDays(11));

        var result = Leaf(clock, root, 30);

        Assert.False(result.IsSuccess);
        Assert.Contains("Clocked Root", result.Error, StringComparison.Ordinal);
        Assert.Contains("not valid now", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRootCa_ValidTo2060_UtcTimeBefore2050AndGeneralizedTimeAfter()
    {
        var clock = new FakeClock(new DateTimeOffset(2045, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var root = Root(clock, 5500);
        clock.Now = new DateTimeOffset(2049, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var before2050 = Leaf(clock, root, 30).Value.Certificate;
        var across2050 = Leaf(clock, root, 397).Value.Certificate;

        Assert.Equal(2060, root.Certificate.NotAfter.Year);
        var rootTimes = Times(root.Certificate);
        Assert.Equal(("UTCTIME", "450228230000Z"), rootTimes[0]);
        Assert.Equal("GENERALIZEDTIME", rootTimes[1].Kind);
        Assert.StartsWith("2060", rootTimes[1].Value, StringComparison.Ordinal);
        Assert.Equal(["UTCTIME", "UTCTIME"], Times(before2050).Select(t => t.Kind));
        Assert.Equal(["UTCTIME", "GENERALIZEDTIME"], Times(across2050).Select(t => t.Kind));
        Assert.Equal("20500702233000Z"[..8], Times(across2050)[1].Value[..8]);
    }

    /// <summary>The notBefore and notAfter encodings as openssl asn1parse shows them (the first two times in the certificate).</summary>
    private static List<(string Kind, string Value)> Times(Pki.Certificates.Certificate certificate)
    {
        var parsed = OpenSsl.Run(System.Text.Encoding.ASCII.GetBytes(certificate.ToPem()), "asn1parse");
        Assert.True(parsed.ExitCode == 0, parsed.All);
        return Regex.Matches(parsed.Output, @"prim: (UTCTIME|GENERALIZEDTIME)\s*:(\S+)")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value))
            .Take(2)
            .ToList();
    }
}
