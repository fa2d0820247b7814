using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Core.Tests.Boxes;

public sealed class BoxRulesTests
{
    [Theory]
    [InlineData("nas2.home.arpa:5001", "nas2.home.arpa", 5001)]
    [InlineData("192.168.1.20", "192.168.1.20", 443)]
    [InlineData("[fd00::20]:8006", "fd00::20", 8006)]
    [InlineData("[::1]", "::1", 443)]
    [InlineData("  proxmox.lan:8006 ", "proxmox.lan", 8006)]
    public void Endpoint_WellFormed_IsParsed(string text, string host, int port)
    {
        var endpoint = BoxRules.Endpoint(text);

        Assert.True(endpoint.IsSuccess, endpoint.Error);
        Assert.Equal(new WatchedEndpoint(host, port), endpoint.Value);
    }

    [Theory]
    [InlineData("nas2:0", "from 1 to 65535")]
    [InlineData("nas2:65536", "from 1 to 65535")]
    [InlineData("nas2:https", "from 1 to 65535")]
    [InlineData("nas2:-1", "from 1 to 65535")]
    [InlineData("fd00::20", "in brackets with its port: [fd00::20]:443")]
    [InlineData("[fd00::20", "in brackets")]
    [InlineData("[fd00::20]x", "in brackets")]
    [InlineData("a:b:c", "host:port")]
    [InlineData("*.lab:443", "wildcard")]
    [InlineData("bad name:443", "cannot be watched")]
    [InlineData("user@host:22", "cannot be watched")]
    [InlineData("nas\n2:443", "cannot be watched")]
    public void Endpoint_Malformed_IsRefusedWithAReason(string text, string reason)
    {
        var endpoint = BoxRules.Endpoint(text);

        Assert.False(endpoint.IsSuccess);
        Assert.Contains(reason, endpoint.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoints_TooManyOrTwice_AreRefused()
    {
        Assert.Contains("at most 20", BoxRules.Endpoints(Enumerable.Range(1, 21).Select(i => $"nas:{i}")).Error, StringComparison.Ordinal);
        Assert.Contains("given twice", BoxRules.Endpoints(["nas:443", "nas"]).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nas2")]
    [InlineData("Proxmox VE 1")]
    [InlineData("router_01.lan")]
    public void Name_Plain_IsAccepted(string name) => Assert.True(BoxRules.Name(name).IsSuccess);

    [Theory]
    [InlineData("", "Give the box a name")]
    [InlineData("   ", "Give the box a name")]
    [InlineData("-nas", "starting with a letter or digit")]
    [InlineData("nas;rm -rf /", "is not allowed")]
    [InlineData("nas\u202Egnp", "is not allowed")]
    [InlineData("<script>", "is not allowed")]
    public void Name_Hostile_IsRefused(string name, string reason)
    {
        var result = BoxRules.Name(name);

        Assert.False(result.IsSuccess);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', result.Error!);
    }

    [Fact]
    public void Name_Oversized_IsRefused() => Assert.False(BoxRules.Name(new string('a', 65)).IsSuccess);

    [Theory]
    [InlineData("", "at least one address")]
    [InlineData("admin@nas", "not a DNS name or an IP address")]
    [InlineData("https://nas/", "not a DNS name or an IP address")]
    [InlineData("*.home.arpa", "wildcard")]
    [InlineData("nas, nas", "given twice")]
    [InlineData("300.1.1.1", "300.1.1.1")]
    public void Addresses_Bad_AreRefused(string text, string reason)
    {
        var result = BoxRules.Addresses([text]);

        Assert.False(result.IsSuccess);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_NamesAndIps_KeepTheirKinds()
    {
        var result = BoxRules.Addresses(["nas2.home.arpa, 192.168.1.20", "IP:fd00::20"]);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(["nas2.home.arpa", "192.168.1.20", "fd00::20"], result.Value.Select(a => a.Value));
    }
}
