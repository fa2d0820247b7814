using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Pki.Tests.Names;

public class SanParserTests
{
    private static readonly string Label63 = new('a', 63);

    public static TheoryData<string, string, SanKind, string, string> ValidEntries() => new()
    {
        { "IDN to punycode", "bücher.home.arpa", SanKind.Dns, "xn--bcher-kva.home.arpa", "bücher.home.arpa" },
        { "upper-case XN-- input", "XN--BCHER-KVA.home.arpa", SanKind.Dns, "xn--bcher-kva.home.arpa", "bücher.home.arpa" },
        { "upper case folded", "NAS.Home.ARPA", SanKind.Dns, "nas.home.arpa", "nas.home.arpa" },
        { "trailing dot dropped", "nas.home.arpa.", SanKind.Dns, "nas.home.arpa", "nas.home.arpa" },
        { "surrounding spaces trimmed", "  nas.lan  ", SanKind.Dns, "nas.lan", "nas.lan" },
        { "wildcard", "*.nas.home.arpa", SanKind.Dns, "*.nas.home.arpa", "*.nas.home.arpa" },
        { "wildcard over IDN", "*.bücher.lan", SanKind.Dns, "*.xn--bcher-kva.lan", "*.bücher.lan" },
        { "single label", "nas", SanKind.Dns, "nas", "nas" },
        { "63-character label", Label63 + ".lan", SanKind.Dns, Label63 + ".lan", Label63 + ".lan" },
        { "253-character name", $"{Label63}.{Label63}.{Label63}.{new string('b', 61)}", SanKind.Dns,
            $"{Label63}.{Label63}.{Label63}.{new string('b', 61)}", $"{Label63}.{Label63}.{Label63}.{new string('b', 61)}" },
        { "hyphen inside label", "my-nas.lan", SanKind.Dns, "my-nas.lan", "my-nas.lan" },
        { "IPv4", "192.168.1.10", SanKind.IpAddress, "192.168.1.10", "192.168.1.10" },
        { "IPv4 zero", "0.0.0.0", SanKind.IpAddress, "0.0.0.0", "0.0.0.0" },
        { "IPv6 loopback in brackets", "[::1]", SanKind.IpAddress, "::1", "::1" },
        { "IPv6 expanded", "0:0:0:0:0:0:0:1", SanKind.IpAddress, "::1", "::1" },
        { "IPv6 upper case expanded", "2001:DB8:0:0:0:0:0:1", SanKind.IpAddress, "2001:db8::1", "2001:db8::1" },
        { "IPv6 compressed", "fd00::10", SanKind.IpAddress, "fd00::10", "fd00::10" },
        { "IPv4-mapped IPv6", "::ffff:192.168.1.1", SanKind.IpAddress, "::ffff:192.168.1.1", "::ffff:192.168.1.1" },
        { "DNS: prefix", "DNS:nas.home.arpa", SanKind.Dns, "nas.home.arpa", "nas.home.arpa" },
        { "dns: prefix lower case", "dns:NAS.lan", SanKind.Dns, "nas.lan", "nas.lan" },
        { "IP: prefix", "IP:10.0.0.1", SanKind.IpAddress, "10.0.0.1", "10.0.0.1" },
        { "IP Address: prefix as openssl prints", "IP Address:10.0.0.2", SanKind.IpAddress, "10.0.0.2", "10.0.0.2" },
        { "IP: prefix with IPv6", "IP:::1", SanKind.IpAddress, "::1", "::1" },
        { "email: prefix", "email:admin@nas.home.arpa", SanKind.Email, "admin@nas.home.arpa", "admin@nas.home.arpa" },
        { "bare email", "admin@NAS.lan", SanKind.Email, "admin@nas.lan", "admin@nas.lan" },
        { "email with IDN domain", "a@bücher.lan", SanKind.Email, "a@xn--bcher-kva.lan", "a@bücher.lan" },
        { "URI: prefix", "URI:https://nas.home.arpa/", SanKind.Uri, "https://nas.home.arpa/", "https://nas.home.arpa/" },
        { "bare URI", "spiffe://home/nas", SanKind.Uri, "spiffe://home/nas", "spiffe://home/nas" },
    };

    [Theory]
    [MemberData(nameof(ValidEntries))]
    public void Parse_ValidEntry_ReturnsCanonicalValueAndDisplay(string name, string input, SanKind kind, string value, string display)
    {
        var result = SanParser.Parse(input);

        Assert.True(result.IsSuccess, $"{name}: {result.Error}");
        Assert.Equal(kind, result.Value.Kind);
        Assert.Equal(value, result.Value.Value);
        Assert.Equal(display, result.Value.DisplayValue);
    }

    public static TheoryData<string, string> HostileEntries() => new()
    {
        { "CR LF injection", "nas.lan\r\nevil.lan" },
        { "LF", "nas.lan\nx" },
        { "NUL", "nas\0.lan" },
        { "tab inside", "nas\t.lan" },
        { "zero-width space", "nas\u200B.lan" },
        { "zero-width joiner", "n\u200Das.lan" },
        { "right-to-left override", "nas\u202Egro.lan" },
        { "left-to-right mark", "nas\u200E.lan" },
        { "byte-order mark inside", "nas\uFEFF.lan" },
        { "line separator", "nas\u2028.lan" },
        { "Cyrillic a in Latin label", "p\u0430ypal.lan" },
        { "Cyrillic er in Latin label", "\u0440aypal.lan" },
        { "Greek omicron in Latin label", "g\u03BFogle.lan" },
        { "punycode of a mixed-script label", "xn--pypal-4ve.lan" },
        { "wildcard under top-level domain", "*.com" },
        { "lone wildcard", "*" },
        { "wildcard with dot only", "*." },
        { "partial-label wildcard", "f*o.lan" },
        { "double wildcard", "*.*.lan" },
        { "wildcard not left-most", "nas.*.lan" },
        { "IPv4 octet over 255", "256.1.1.1" },
        { "IPv4 three parts", "1.2.3" },
        { "IPv4 leading zero", "01.2.3.4" },
        { "IPv4 five parts", "1.2.3.4.5" },
        { "IPv4 with port", "1.2.3.4:443" },
        { "IPv4 negative", "1.2.3.-4" },
        { "empty label", "a..b" },
        { "leading dot", ".lan" },
        { "only a dot", "." },
        { "label starts with hyphen", "-a.lan" },
        { "label ends with hyphen", "a-.lan" },
        { "64-character label", new string('a', 64) + ".lan" },
        { "name over 253 characters", $"{new string('a', 63)}.{new string('a', 63)}.{new string('a', 63)}.{new string('b', 62)}" },
        { "name far over 253 characters", string.Join('.', Enumerable.Repeat(new string('c', 60), 6)) },
        { "underscore", "nas_1.lan" },
        { "space inside", "nas box.lan" },
        { "slash", "nas/x.lan" },
        { "all-numeric last label", "nas.123" },
        { "DNS prefix on an address", "DNS:10.0.0.1" },
        { "IP prefix on a name", "IP:nas.lan" },
        { "IPv6 zone id", "fe80::1%eth0" },
        { "IPv6 zone id in brackets", "[fe80::1%eth0]" },
        { "IPv6 two double colons", "1::2::3" },
        { "IPv6 group too long", "12345::1" },
        { "IPv6 with letters", "fe80::g1" },
        { "email without domain", "admin@" },
        { "email without name", "@nas.lan" },
        { "email bad domain", "admin@nas..lan" },
        { "email non-ASCII name", "adm\u00EDn@nas.lan" },
        { "URI with space", "URI:https://nas lan/" },
        { "URI non-ASCII", "https://bücher.lan/" },
        { "10 KB of text", new string('a', 10 * 1024) },
        { "10 KB of dotted labels", string.Join('.', Enumerable.Repeat("abcdefghi", 1024)) },
    };

    [Theory]
    [MemberData(nameof(HostileEntries))]
    public void Parse_HostileEntry_RefusedWithMessageNamingEntry(string name, string input)
    {
        var result = SanParser.Parse(input);

        Assert.False(result.IsSuccess, $"{name} was accepted as {result}");
        Assert.NotNull(result.Error);
        var shown = Display.Literal(StripPrefix(input.Trim())[..Math.Min(20, StripPrefix(input.Trim()).Length)]);
        Assert.Contains(shown, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Error);
        Assert.DoesNotContain('\r', result.Error);
        Assert.DoesNotContain('\0', result.Error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Empty_RefusedAsEmpty(string? input)
    {
        var result = SanParser.Parse(input);

        Assert.False(result.IsSuccess);
        Assert.Contains("is empty", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MixedScriptLabel_ExplainsLookAlike()
    {
        var result = SanParser.Parse("p\u0430ypal.lan");

        Assert.Contains("look-alike", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SingleScriptCyrillicLabel_Accepted()
    {
        var result = SanParser.Parse("\u043F\u0440\u0438\u043C\u0435\u0440.lan");

        Assert.True(result.IsSuccess, result.Error);
        Assert.StartsWith("xn--", result.Value.Value, StringComparison.Ordinal);
        Assert.Equal("\u043F\u0440\u0438\u043C\u0435\u0440.lan", result.Value.DisplayValue);
    }

    [Fact]
    public void ParseList_MixedSeparators_ReturnsEachEntryOnce()
    {
        var result = SanParser.ParseList("nas.lan, 10.0.0.1;*.nas.lan\nadmin@nas.lan\r\nNAS.lan  [::1]\tURI:https://nas.lan/");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(
            ["DNS:nas.lan", "IP:10.0.0.1", "DNS:*.nas.lan", "email:admin@nas.lan", "IP:::1", "URI:https://nas.lan/"],
            result.Value.Select(n => n.ToString()));
    }

    [Fact]
    public void ParseList_OneBadEntry_RefusedNamingThatEntry()
    {
        var result = SanParser.ParseList("nas.lan, f*o.lan, 10.0.0.1");

        Assert.False(result.IsSuccess);
        Assert.Contains("\"f*o.lan\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseList_HundredEntries_Accepted()
    {
        var result = SanParser.ParseList(string.Join(',', Enumerable.Range(1, SanParser.MaxEntries).Select(i => $"n{i}.lan")));

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(SanParser.MaxEntries, result.Value.Count);
    }

    [Fact]
    public void ParseList_OverHundredEntries_Refused()
    {
        var result = SanParser.ParseList(string.Join(',', Enumerable.Range(1, SanParser.MaxEntries + 1).Select(i => $"n{i}.lan")));

        Assert.False(result.IsSuccess);
        Assert.Contains("Too many names", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseList_HugeInput_RefusedBeforeSplitting()
    {
        var result = SanParser.ParseList(string.Join(',', Enumerable.Repeat("nas.lan", 10_000)));

        Assert.False(result.IsSuccess);
        Assert.Contains("too long", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Dns_InvalidName_ThrowsWithMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => SubjectAlternativeName.Dns("*.com"));

        Assert.Contains("\"*.com\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IpAddressBytes_IPv6_SixteenBytes()
    {
        Assert.Equal(16, SubjectAlternativeName.Ip("fd00::1").IpAddressBytes().Length);
        Assert.Equal([192, 168, 1, 10], SubjectAlternativeName.Ip("192.168.1.10").IpAddressBytes());
    }

    private static string StripPrefix(string input)
    {
        foreach (var prefix in new[] { "DNS:", "IP:", "URI:", "email:" })
        {
            if (input.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return input[prefix.Length..];
            }
        }

        return input;
    }
}
