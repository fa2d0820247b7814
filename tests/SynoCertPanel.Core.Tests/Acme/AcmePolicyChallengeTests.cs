using SynoCertPanel.Core.Acme;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Core.Tests.Acme;

/// <summary>Which challenges a directory offers for each kind of identifier, and which identifiers it refuses for lack of one.</summary>
public sealed class AcmePolicyChallengeTests
{
    private static readonly string[] Every = [AcmeChallengeTypes.Http01, AcmeChallengeTypes.TlsAlpn01, AcmeChallengeTypes.Dns01];

    [Theory]
    [InlineData("nas.home.arpa", "http-01,tls-alpn-01,dns-01", "http-01 tls-alpn-01 dns-01")]
    [InlineData("*.lab.home.arpa", "http-01,tls-alpn-01,dns-01", "dns-01")]
    [InlineData("192.168.1.20", "http-01,tls-alpn-01,dns-01", "http-01 tls-alpn-01")]
    [InlineData("fd00::20", "dns-01,tls-alpn-01", "tls-alpn-01")]
    [InlineData("nas.home.arpa", "dns-01", "dns-01")]
    [InlineData("nas.home.arpa", "tls-alpn-01,http-01", "http-01 tls-alpn-01")]
    public void ChallengesFor_Identifier_OffersOnlyWhatCanProveIt(string identifier, string offered, string expected)
    {
        var policy = Policy(offered.Split(','));

        Assert.Equal(expected, string.Join(' ', policy.ChallengesFor(Parse(identifier))));
    }

    [Theory]
    [InlineData("*.lab.home.arpa", "http-01,tls-alpn-01", "is a wildcard, which only dns-01 can prove, and this directory does not offer dns-01")]
    [InlineData("192.168.1.20", "dns-01", "is an IP address, which only http-01 or tls-alpn-01 can prove (RFC 8738), and this directory offers neither")]
    [InlineData("*.example.com", "dns-01", "is outside what this directory issues for")]
    public void Refusal_IdentifierNoOfferedChallengeCanProve_SaysWhy(string identifier, string offered, string expected)
    {
        var refusal = Policy(offered.Split(',')).Refusal(Parse(identifier));

        Assert.NotNull(refusal);
        Assert.Contains(expected, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*.lab.home.arpa")]
    [InlineData("192.168.1.20")]
    [InlineData("nas.home.arpa")]
    public void Refusal_EveryChallengeOffered_AllowsNamesWildcardsAndAddresses(string identifier) =>
        Assert.Null(Policy(Every).Refusal(Parse(identifier)));

    [Fact]
    public void Types_NewDirectory_OffersHttp01AndTlsAlpn01AndAllThreeExist()
    {
        Assert.Equal(Every, AcmeChallengeTypes.All);
        Assert.Equal([AcmeChallengeTypes.Http01, AcmeChallengeTypes.TlsAlpn01], AcmeChallengeTypes.Defaults);
    }

    private static AcmePolicy Policy(IEnumerable<string> challenges) => new(AcmePolicy.DefaultLifetime, NameConstraints.HomeLab,
        new HashSet<string>(challenges, StringComparer.Ordinal), 80, 443, RequireEab: true, PointToCrl: false);

    private static SubjectAlternativeName Parse(string text)
    {
        var parsed = System.Net.IPAddress.TryParse(text, out _) ? SanParser.ParseIpAddress(text) : SanParser.ParseDnsName(text);
        Assert.True(parsed.IsSuccess, parsed.Error);
        return parsed.Value;
    }
}
