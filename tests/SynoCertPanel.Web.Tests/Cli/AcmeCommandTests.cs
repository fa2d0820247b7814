namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>`acme enable|update|disable|show|eab|accounts|orders|resolve|dns-resolver` against a real data directory.</summary>
public sealed class AcmeCommandTests : IDisposable
{
    private readonly CliDataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EnableShowEabDisable_OnAConstrainedRoot_AgreeAcrossTextAndJson()
    {
        var ca = await _dir.RunJsonAsync("ca", "create", "--cn", "Lab Root CA", "--key", "p256", "--permit-dns", "home.arpa", "--permit-ip", "192.168.0.0/16");
        var id = ca.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var enabled = await _dir.RunJsonAsync("acme", "enable", "--ca", id, "--lifetime-days", "30");
        var shown = await _dir.RunAsync("acme", "show", "--ca", id);
        var eab = await _dir.RunJsonAsync("acme", "eab", "create", "--ca", id, "--label", "proxmox");
        var keys = await _dir.RunAsync("acme", "eab", "list", "--ca", id);
        var revoked = await _dir.RunJsonAsync("acme", "eab", "revoke", "--ca", id, eab.GetProperty("keyId").GetString()!);
        var accounts = await _dir.RunJsonAsync("acme", "accounts", "--ca", id);
        var orders = await _dir.RunJsonAsync("acme", "orders", "--ca", id);
        var disabled = await _dir.RunJsonAsync("acme", "disable", "--ca", id);

        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(720, enabled.GetProperty("lifetimeHours").GetInt32());
        Assert.Equal(["home.arpa"], enabled.GetProperty("allowDns").EnumerateArray().Select(e => e.GetString()));
        Assert.True(enabled.GetProperty("allowedFromAuthority").GetBoolean());
        Assert.True(enabled.GetProperty("requireEab").GetBoolean());
        Assert.Equal($"/acme/{id}/directory", enabled.GetProperty("directoryPath").GetString());
        Assert.Contains($"/acme/{id}/directory", shown.Output, StringComparison.Ordinal);
        Assert.Contains("Lifetime: 30 days", shown.Output, StringComparison.Ordinal);
        Assert.Contains("Issues for: home.arpa, 192.168.0.0/16 (the CA's name constraints)", shown.Output, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{24}$", eab.GetProperty("keyId").GetString());
        Assert.Matches("^[A-Za-z0-9_-]{43}$", eab.GetProperty("hmacKey").GetString());
        Assert.Contains("\tunused\t", keys.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(eab.GetProperty("hmacKey").GetString()!, keys.Output, StringComparison.Ordinal);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, revoked.GetProperty("revokedAt").ValueKind);
        Assert.Empty(accounts.GetProperty("items").EnumerateArray());
        Assert.Empty(orders.GetProperty("items").EnumerateArray());
        Assert.False(disabled.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task CrlInCertificates_OffByDefault_TurnedOnAndOffAndBothRefused()
    {
        await _dir.RunJsonAsync("ca", "create", "--cn", "Lab Root CA", "--key", "p256", "--permit-dns", "home.arpa");

        var enabled = await _dir.RunJsonAsync("acme", "enable", "--ca", "1");
        var on = await _dir.RunJsonAsync("acme", "update", "--ca", "1", "--crl-in-certificates");
        var shown = await _dir.RunAsync("acme", "show", "--ca", "1");
        var both = await _dir.RunAsync("acme", "update", "--ca", "1", "--crl-in-certificates", "--no-crl-in-certificates");
        var off = await _dir.RunJsonAsync("acme", "update", "--ca", "1", "--no-crl-in-certificates");

        Assert.False(enabled.GetProperty("crlInCertificates").GetBoolean());
        Assert.True(on.GetProperty("crlInCertificates").GetBoolean());
        Assert.Contains("CRL: /acme/1/crl, named in issued certificates", shown.Output, StringComparison.Ordinal);
        Assert.Contains("Limits per hour: 50 new accounts per client address, 300 orders per account and 300 per address, 60 failed validations per account",
            shown.Output, StringComparison.Ordinal);
        CliDataDirectory.AssertRefused(both, "not both");
        Assert.False(off.GetProperty("crlInCertificates").GetBoolean());
    }

    [Fact]
    public async Task Enable_UnconstrainedRootWithoutAllowList_IsRefusedUntilNamesAreGiven()
    {
        await _dir.RunJsonAsync("ca", "create", "--cn", "Open Root", "--key", "p256");

        var refused = await _dir.RunAsync("acme", "enable", "--ca", "1");
        var allowed = await _dir.RunJsonAsync("acme", "enable", "--ca", "1", "--allow-dns", "lab.internal", "--allow-ip", "10.0.0.0/8", "--no-eab");

        CliDataDirectory.AssertRefused(refused, "This CA has no name constraints");
        Assert.Equal(["lab.internal"], allowed.GetProperty("allowDns").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["10.0.0.0/8"], allowed.GetProperty("allowIp").EnumerateArray().Select(e => e.GetString()));
        Assert.False(allowed.GetProperty("requireEab").GetBoolean());
    }

    [Theory]
    [InlineData("--lifetime-days", "0", "whole hours from 1 hour to 397 days")]
    [InlineData("--lifetime-days", "398", "whole hours from 1 hour to 397 days")]
    [InlineData("--lifetime-hours", "-5", "whole hours from 1 hour to 397 days")]
    [InlineData("--allow-dns", "*.bad..name", "Permitted DNS suffix")]
    [InlineData("--allow-ip", "300.1.1.1/8", "Permitted IP range")]
    [InlineData("--challenges", "http-01,gopher-01", "\"gopher-01\" is not a challenge type")]
    [InlineData("--http-port", "70000", "Validation ports must be from 1 to 65535")]
    [InlineData("--tls-alpn-port", "0", "Validation ports must be from 1 to 65535")]
    [InlineData("--challenges", ",", "Choose at least one challenge type (http-01, tls-alpn-01, dns-01)")]
    [InlineData("--challenges", "dns-01,tls-alpn-02", "\"tls-alpn-02\" is not a challenge type. Choose from http-01, tls-alpn-01, dns-01")]
    [InlineData("--challenges", "HTTP-01", "\"HTTP-01\" is not a challenge type")]
    public async Task Enable_BadValue_IsRefusedAndNothingIsStored(string option, string value, string expected)
    {
        await _dir.RunJsonAsync("ca", "create", "--cn", "Lab Root CA", "--key", "p256", "--permit-dns", "home.arpa");

        var refused = await _dir.RunAsync("acme", "enable", "--ca", "1", option, value);
        var shown = await _dir.RunAsync("acme", "show", "--ca", "1");

        CliDataDirectory.AssertRefused(refused, expected);
        CliDataDirectory.AssertRefused(shown, "has no ACME directory yet");
    }

    [Fact]
    public async Task Commands_UnknownCaOrDirectory_AreRefusedWithASentence()
    {
        CliDataDirectory.AssertRefused(await _dir.RunAsync("acme", "enable", "--ca", "42"), "There is no CA with id 42");
        CliDataDirectory.AssertRefused(await _dir.RunAsync("acme", "eab", "create", "--ca", "42"), "has no ACME directory");
        CliDataDirectory.AssertRefused(await _dir.RunAsync("acme", "orders", "--ca", "42"), "has no ACME directory");
        CliDataDirectory.AssertRefused(await _dir.RunAsync("acme", "orders", "--ca", "1", "--limit", "0"), "--limit must be from 1 to 1000");
    }

    [Fact]
    public async Task Resolve_SetListClearAndGarbage()
    {
        var set = await _dir.RunJsonAsync("acme", "resolve", "nas.home.arpa=192.168.1.20", "nas.home.arpa=fd00::20", "pve.home.arpa=192.168.1.30");
        var listed = await _dir.RunAsync("acme", "resolve");
        var garbage = await _dir.RunAsync("acme", "resolve", "nas.home.arpa");
        var wildcard = await _dir.RunAsync("acme", "resolve", "*.home.arpa=10.0.0.1");
        var badAddress = await _dir.RunAsync("acme", "resolve", "nas.home.arpa=999.1.1.1");
        var afterGarbage = await _dir.RunAsync("acme", "resolve");
        var cleared = await _dir.RunAsync("acme", "resolve", "--clear");
        var empty = await _dir.RunJsonAsync("acme", "resolve");

        Assert.Equal(3, set.GetProperty("entries").GetArrayLength());
        Assert.Equal("nas.home.arpa=192.168.1.20\nnas.home.arpa=fd00::20\npve.home.arpa=192.168.1.30\n", listed.Output);
        CliDataDirectory.AssertRefused(garbage, "is not NAME=ADDRESS");
        CliDataDirectory.AssertRefused(wildcard, "is not NAME=ADDRESS");
        CliDataDirectory.AssertRefused(badAddress, "is not NAME=ADDRESS");
        Assert.Equal(listed.Output, afterGarbage.Output);
        Assert.Contains("empty", cleared.Output, StringComparison.Ordinal);
        Assert.Empty(empty.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Enable_Challenges_DefaultToHttp01AndTlsAlpn01AndTakeAValidList()
    {
        await _dir.RunJsonAsync("ca", "create", "--cn", "Lab Root CA", "--key", "p256", "--permit-dns", "home.arpa");

        var enabled = await _dir.RunJsonAsync("acme", "enable", "--ca", "1");
        var updated = await _dir.RunJsonAsync("acme", "update", "--ca", "1", "--challenges", "dns-01, http-01,dns-01");
        var shown = await _dir.RunAsync("acme", "show", "--ca", "1");

        Assert.Equal(["http-01", "tls-alpn-01"], enabled.GetProperty("challenges").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["http-01", "dns-01"], updated.GetProperty("challenges").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("Challenges: http-01, dns-01 (", shown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DnsResolver_SetShowClearAndGarbage()
    {
        var initial = await _dir.RunAsync("acme", "dns-resolver");
        var set = await _dir.RunJsonAsync("acme", "dns-resolver", "192.168.1.1:5353");
        var shown = await _dir.RunAsync("acme", "dns-resolver");
        var name = await _dir.RunAsync("acme", "dns-resolver", "dns.home.arpa");
        var badPort = await _dir.RunAsync("acme", "dns-resolver", "192.168.1.1:99999");
        var both = await _dir.RunAsync("acme", "dns-resolver", "192.168.1.1", "--clear");
        var afterGarbage = await _dir.RunJsonAsync("acme", "dns-resolver");
        var v6 = await _dir.RunJsonAsync("acme", "dns-resolver", "fd00::53");
        var cleared = await _dir.RunJsonAsync("acme", "dns-resolver", "--clear");

        Assert.Equal("dns-01 validation asks the system resolver.\n", initial.Output);
        Assert.Equal("192.168.1.1:5353", set.GetProperty("resolver").GetString());
        Assert.Equal("dns-01 validation asks 192.168.1.1:5353.\n", shown.Output);
        CliDataDirectory.AssertRefused(name, "\"dns.home.arpa\" is not a DNS server's address");
        CliDataDirectory.AssertRefused(badPort, "is not a DNS server's address");
        CliDataDirectory.AssertRefused(both, "Give an address or --clear, not both.");
        Assert.Equal("192.168.1.1:5353", afterGarbage.GetProperty("resolver").GetString());
        Assert.Equal("[fd00::53]:53", v6.GetProperty("resolver").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("resolver").ValueKind);
    }
}
