using System.Net;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Pki.Tests.Names;

public class NameConstraintsTests
{
    public static TheoryData<string, string, string, int> ValidRanges() => new()
    {
        { "private /16", "192.168.0.0/16", "192.168.0.0", 16 },
        { "single host", "10.1.2.3/32", "10.1.2.3", 32 },
        { "everything IPv4", "0.0.0.0/0", "0.0.0.0", 0 },
        { "unique local IPv6", "fc00::/7", "fc00::", 7 },
        { "IPv6 loopback", "::1/128", "::1", 128 },
        { "IPv6 upper case", "FD00:AB::/32", "fd00:ab::", 32 },
        { "spaces around", " 172.16.0.0/12 ", "172.16.0.0", 12 },
    };

    [Theory]
    [MemberData(nameof(ValidRanges))]
    public void IpRangeParse_ValidCidr_ReadsNetworkAndPrefix(string name, string text, string network, int prefix)
    {
        var result = IpRange.Parse(text);

        Assert.True(result.IsSuccess, $"{name}: {result.Error}");
        Assert.Equal(IPAddress.Parse(network), result.Value.Network);
        Assert.Equal(prefix, result.Value.PrefixLength);
    }

    public static TheoryData<string, string, string> BadRanges() => new()
    {
        { "host bits set", "192.168.1.1/24", "bits set after the prefix" },
        { "IPv6 host bits set", "fd00::1/8", "bits set after the prefix" },
        { "prefix too long", "10.0.0.0/33", "prefix length" },
        { "IPv6 prefix too long", "fd00::/129", "prefix length" },
        { "negative prefix", "10.0.0.0/-1", "prefix length" },
        { "empty prefix", "10.0.0.0/", "prefix length" },
        { "letters in prefix", "10.0.0.0/a8", "prefix length" },
        { "prefix with sign", "10.0.0.0/+8", "prefix length" },
        { "no prefix", "10.0.0.0", "CIDR" },
        { "no address", "/8", "CIDR" },
        { "bad address", "300.0.0.0/8", "valid IP address" },
        { "zone id", "fe80::%eth0/64", "valid IP address" },
        { "host name", "nas.lan/24", "valid IP address" },
    };

    [Theory]
    [MemberData(nameof(BadRanges))]
    public void IpRangeParse_BadCidr_RefusedWithReason(string name, string text, string reason)
    {
        var result = IpRange.Parse(text);

        Assert.False(result.IsSuccess, $"{name} was accepted");
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Contains(text.Trim(), result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void IpRange_ToAddressAndMask_EncodesRfc5280Form()
    {
        Assert.Equal([192, 168, 0, 0, 255, 255, 0, 0], IpRange.Parse("192.168.0.0/16").Value.ToAddressAndMask());
        Assert.Equal([172, 16, 0, 0, 255, 240, 0, 0], IpRange.Parse("172.16.0.0/12").Value.ToAddressAndMask());
        var v6 = IpRange.Parse("fc00::/7").Value.ToAddressAndMask();
        Assert.Equal(32, v6.Length);
        Assert.Equal(0xFE, v6[16]);
        Assert.All(v6[17..], b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("fc00::/7", "fd12::1", true)]
    [InlineData("fc00::/7", "fe80::1", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.1", false)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    public void IpRangeContains_Address_MatchesPrefix(string range, string address, bool expected)
    {
        Assert.Equal(expected, IpRange.Parse(range).Value.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Create_LeadingDotAndCase_Normalised()
    {
        var result = NameConstraints.Create([".LAN", "Home.Arpa", "bücher.lan"], ["10.0.0.0/8"]);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(["lan", "home.arpa", "xn--bcher-kva.lan"], result.Value.PermittedDnsSuffixes);
    }

    [Theory]
    [InlineData("*.lan", "Permitted DNS suffix")]
    [InlineData("bad_name", "Permitted DNS suffix")]
    [InlineData("", "Permitted DNS suffix")]
    [InlineData("p\u0430ypal.lan", "Permitted DNS suffix")]
    public void Create_BadSuffix_Refused(string suffix, string reason)
    {
        var result = NameConstraints.Create([suffix], []);

        Assert.False(result.IsSuccess);
        Assert.StartsWith(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BadRange_Refused()
    {
        var result = NameConstraints.Create(["lan"], ["192.168.1.1/24"]);

        Assert.False(result.IsSuccess);
        Assert.StartsWith("Permitted IP range", result.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, bool> HomeLabCases() => new()
    {
        { "name under home.arpa", "nas.home.arpa", true },
        { "the suffix itself", "home.arpa", true },
        { "wildcard under suffix", "*.nas.home.arpa", true },
        { "wildcard under single-label suffix", "*.nas.lan", true },
        { "upper case folded by the parser", "NAS.LAN", true },
        { "suffix glued to another label", "evilhome.arpa", false },
        { "suffix as a middle label", "home.arpa.evil.com", false },
        { "public name", "example.com", false },
        { "IDN outside", "bücher.de", false },
        { "private IPv4", "192.168.1.10", true },
        { "loopback IPv4", "127.0.0.1", true },
        { "public IPv4", "8.8.8.8", false },
        { "edge of 172.16/12", "172.32.0.1", false },
        { "unique local IPv6", "fd12:3456::1", true },
        { "IPv6 loopback", "::1", true },
        { "public IPv6", "2001:db8::1", false },
        { "IPv4-mapped public IPv6", "::ffff:8.8.8.8", false },
        { "email (shut out by the constrained root)", "admin@nas.home.arpa", false },
        { "URI (shut out by the constrained root)", "https://nas.home.arpa/", false },
    };

    [Theory]
    [MemberData(nameof(HomeLabCases))]
    public void Permits_HomeLab_AllowsOnlyPrivateNames(string name, string entry, bool expected)
    {
        var san = SanParser.Parse(entry).Value;

        Assert.True(expected == NameConstraints.HomeLab.Permits(san), name);
    }

    [Fact]
    public void Permits_OnlyDnsConstrained_NoAddressAllowed()
    {
        var constraints = NameConstraints.Create(["lan"], []).Value;

        Assert.False(constraints.Permits(SubjectAlternativeName.Ip("8.8.8.8")));
        Assert.False(constraints.Permits(SubjectAlternativeName.Ip("192.168.1.1")));
        Assert.False(constraints.Permits(SubjectAlternativeName.Dns("nas.home.arpa")));
        Assert.True(constraints.Permits(SubjectAlternativeName.Dns("nas.lan")));
        Assert.Equal("DNS: lan; IP: none", constraints.Describe());
    }

    [Fact]
    public void Permits_OnlyIPv4Ranges_IPv6AddressAndDnsNamesRefused()
    {
        var constraints = NameConstraints.Create([], ["10.0.0.0/8"]).Value;

        Assert.False(constraints.Permits(SubjectAlternativeName.Ip("fd00::1")));
        Assert.True(constraints.Permits(SubjectAlternativeName.Ip("10.1.2.3")));
        Assert.False(constraints.Permits(SubjectAlternativeName.Dns("example.com")));
        Assert.Equal("DNS: none; IP: 10.0.0.0/8", constraints.Describe());
    }

    [Fact]
    public void None_IsEmpty_PermitsEverything()
    {
        Assert.True(NameConstraints.None.IsEmpty);
        Assert.True(NameConstraints.None.Permits(SubjectAlternativeName.Dns("example.com")));
        Assert.True(NameConstraints.None.Permits(SubjectAlternativeName.Ip("8.8.8.8")));
    }
}
