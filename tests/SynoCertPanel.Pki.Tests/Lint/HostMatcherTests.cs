using SynoCertPanel.Pki.Lint;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Pki.Tests.Lint;

public class HostMatcherTests
{
    public static TheoryData<string, string, bool> Cases() => new()
    {
        { "DNS:nas.home.arpa", "nas.home.arpa", true },
        { "DNS:nas.home.arpa", "NAS.Home.Arpa.", true },
        { "DNS:nas.home.arpa", "dsm.nas.home.arpa", false },
        { "DNS:*.nas.home.arpa", "dsm.nas.home.arpa", true },
        { "DNS:*.nas.home.arpa", "nas.home.arpa", false },
        { "DNS:*.nas.home.arpa", "a.b.nas.home.arpa", false },
        { "DNS:*.home.arpa", "nas.home.arpa", true },
        { "DNS:xn--bcher-kva.home.arpa", "bücher.home.arpa", true },
        { "IP:192.168.1.10", "192.168.1.10", true },
        { "IP:192.168.1.10", "192.168.1.11", false },
        { "IP:::1", "[::1]", true },
        { "IP:192.168.1.10", "nas.home.arpa", false },
        { "DNS:nas.home.arpa", "not a host", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Covers_HostAgainstSan_MatchesAsRfc6125(string san, string host, bool expected)
    {
        var names = new[] { SubjectAlternativeName.Parse(san).Value };

        Assert.Equal(expected, HostMatcher.Covers(names, host));
    }

    [Fact]
    public void Covers_IpAddressAgainstDnsEntrySpellingIt_DoesNotMatch()
    {
        var names = new[] { SubjectAlternativeName.Create(SanKind.Dns, "192.168.1.10", "192.168.1.10") };

        Assert.False(HostMatcher.Covers(names, "192.168.1.10"));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*.arpa")]
    [InlineData("n*s.home.arpa")]
    public void Covers_MalformedWildcard_MatchesNothing(string pattern)
    {
        var names = new[] { SubjectAlternativeName.Create(SanKind.Dns, pattern, pattern) };

        Assert.False(HostMatcher.Covers(names, "nas.home.arpa"));
    }
}
