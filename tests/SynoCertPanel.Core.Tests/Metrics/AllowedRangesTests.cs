using System.Net;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Metrics;

namespace SynoCertPanel.Core.Tests.Metrics;

public sealed class AllowedRangesTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("192.168.1.0/24", "192.168.1.0/24")]
    [InlineData(" 192.168.1.0/24 ,10.0.0.0/8\n127.0.0.1", "192.168.1.0/24, 10.0.0.0/8, 127.0.0.1/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("fd00::/8; 2001:DB8::/32", "fd00::/8, 2001:db8::/32")]
    [InlineData("::1", "::1/128")]
    [InlineData("10.0.0.0/8 10.0.0.0/8", "10.0.0.0/8")]
    public void Parse_GoodRanges_ReadsThemInOrder(string text, string expected)
    {
        var parsed = AllowedRanges.Parse(text);

        Assert.True(parsed.IsSuccess, parsed.Error);
        Assert.Equal(expected, AllowedRanges.Format(parsed.Value));
    }

    [Theory]
    [InlineData("10.0.0.1/8", "\"10.0.0.1/8\" sets address bits past the /8 prefix; did you mean 10.0.0.0/8?")]
    [InlineData("fd00::1/8", "\"fd00::1/8\" sets address bits past the /8 prefix; did you mean fd00::/8?")]
    [InlineData("192.168.1.0/33", "\"192.168.1.0/33\" has no valid prefix length: after the / comes a whole number from 0 to 32.")]
    [InlineData("fd00::/129", "\"fd00::/129\" has no valid prefix length: after the / comes a whole number from 0 to 128.")]
    [InlineData("10.0.0.0/", "\"10.0.0.0/\" has no valid prefix length")]
    [InlineData("10.0.0.0/08", "\"10.0.0.0/08\" has no valid prefix length")]
    [InlineData("10.0.0.0/-1", "\"10.0.0.0/-1\" has no valid prefix length")]
    [InlineData("10.0.0.0/8/8", "\"10.0.0.0/8/8\" has no valid prefix length")]
    [InlineData("10.1", "\"10.1\" is not an address range")]
    [InlineData("127.1/8", "\"127.1/8\" is not an address range")]
    [InlineData("010.0.0.0/8", "\"010.0.0.0/8\" is not an address range")]
    [InlineData("0x7f.0.0.1", "\"0x7f.0.0.1\" is not an address range")]
    [InlineData("256.0.0.0/8", "\"256.0.0.0/8\" is not an address range")]
    [InlineData("fe80::1%eth0", "\"fe80::1%eth0\" is not an address range")]
    [InlineData("nas.home.arpa", "\"nas.home.arpa\" is not an address range: write a network as ADDRESS/PREFIX")]
    [InlineData("192.168.1.0/24, *", "\"*\" is not an address range")]
    [InlineData("1.2.3.4\u202e/32", "is not an address range")]
    public void Parse_BadRange_IsRefusedWithASentence(string text, string expected)
    {
        var parsed = AllowedRanges.Parse(text);

        Assert.False(parsed.IsSuccess);
        Assert.Contains(expected, parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyRanges_IsRefused()
    {
        var parsed = AllowedRanges.Parse(string.Join(',', Enumerable.Range(0, AllowedRanges.MaxRanges + 1).Select(i => $"10.0.{i}.0/24")));

        Assert.Equal("51 address ranges were given; at most 50 are allowed.", parsed.Error);
    }

    [Theory]
    [InlineData("192.168.1.0/24", "192.168.1.77", true)]
    [InlineData("192.168.1.0/24", "192.168.2.1", false)]
    [InlineData("192.168.1.0/24", "::ffff:192.168.1.77", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("fd00::/8", "fd12::1", true)]
    [InlineData("fd00::/8", "10.0.0.1", false)]
    public void Contains_ChecksTheClientAddress(string ranges, string address, bool expected) =>
        Assert.Equal(expected, AllowedRanges.Contains(AllowedRanges.Parse(ranges).Value, IPAddress.Parse(address)));

    [Theory]
    [InlineData(40, null, CertificateState.Valid)]
    [InlineData(29, null, CertificateState.Expiring)]
    [InlineData(-1, null, CertificateState.Expired)]
    [InlineData(-1, 7, CertificateState.Replaced)]
    [InlineData(400, 7, CertificateState.Replaced)]
    public void CertificateState_FollowsTheList(int daysLeft, int? replacedById, CertificateState expected)
    {
        var now = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(expected, CertificateStates.At(now.AddDays(daysLeft), replacedById, now));
    }
}
