using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Core.Acme.Validation;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// dns-01 validation asking a real DNS server (dnsmasq on loopback) set as the panel's dns-01 resolver: the right record,
/// one behind a CNAME, and the answers a lab's DNS gives when the client did not publish it right.
/// </summary>
public sealed class Dns01ValidatorTests : IAsyncLifetime
{
    private const string KeyAuthorization = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private static readonly ChallengeAttempt Attempt = new("dns", "nas.home.arpa", "token", KeyAuthorization, 0);

    private ValidationStorage _storage = null!;

    private DnsmasqServer _dns = null!;

    public async Task InitializeAsync()
    {
        _storage = await ValidationStorage.CreateAsync();
        _dns = await DnsmasqServer.StartAsync();
        await SetResolverAsync(_dns.EndPoint);
    }

    public async Task DisposeAsync()
    {
        await _dns.DisposeAsync();
        _storage.Dispose();
    }

    private Dns01Validator Validator => new(new AcmeDnsResolver(_storage.Storage), Timeout);

    private static string Expected => Dns01Validator.DigestOf(KeyAuthorization);

    [Fact]
    public void DigestOf_KeyAuthorization_IsUnpaddedBase64UrlOfSha256()
    {
        // Computed apart from the code: printf %s KEY_AUTHORIZATION | openssl dgst -sha256 -binary | basenc --base64url (then "=" dropped).
        Assert.Equal("NGwKoXBgCT8JhEa0bK7AwfSqHyu_ZWeugV07fLGIVq0", Dns01Validator.DigestOf(KeyAuthorization));
    }

    [Fact]
    public async Task Validate_RightRecord_IsValid()
    {
        await _dns.SetRecordsAsync($"txt-record=_acme-challenge.nas.home.arpa,\"{Expected}\"");

        Assert.Null(await Validator.ValidateAsync(Attempt, CancellationToken.None));
    }

    [Fact]
    public async Task Validate_RightRecordAmongOthers_IsValid()
    {
        await _dns.SetRecordsAsync("txt-record=_acme-challenge.nas.home.arpa,\"left-over-from-last-month\"",
            $"txt-record=_acme-challenge.nas.home.arpa,\"{Expected}\"");

        Assert.Null(await Validator.ValidateAsync(Attempt, CancellationToken.None));
    }

    [Fact]
    public async Task Validate_RecordBehindACname_IsFollowedAndValid()
    {
        await _dns.SetRecordsAsync($"txt-record=nas.acme-delegation.home.arpa,\"{Expected}\"",
            "cname=_acme-challenge.nas.home.arpa,nas.acme-delegation.home.arpa");

        Assert.Null(await Validator.ValidateAsync(Attempt, CancellationToken.None));
    }

    [Fact]
    public async Task Validate_NameDoesNotExist_IsADnsProblemSayingNxdomain()
    {
        await _dns.SetRecordsAsync("txt-record=_acme-challenge.other.home.arpa,\"x\"");

        var problem = await Validator.ValidateAsync(Attempt, CancellationToken.None);

        AssertProblem(problem, "dns", $"_acme-challenge.nas.home.arpa: {_dns.EndPoint} says the name does not exist (NXDOMAIN)");
    }

    [Fact]
    public async Task Validate_NameWithoutTxtRecord_IsUnauthorizedSayingWhatToPublish()
    {
        await _dns.SetRecordsAsync("host-record=_acme-challenge.nas.home.arpa,127.0.0.1");

        var problem = await Validator.ValidateAsync(Attempt, CancellationToken.None);

        AssertProblem(problem, "unauthorized", $"has no TXT record there. The client must publish one holding {Expected}");
    }

    [Fact]
    public async Task Validate_WrongValue_IsUnauthorizedShowingWhatWasFound()
    {
        await _dns.SetRecordsAsync("txt-record=_acme-challenge.nas.home.arpa,\"yesterdays-value\"");

        var problem = await Validator.ValidateAsync(Attempt, CancellationToken.None);

        AssertProblem(problem, "unauthorized", $"holds 1 TXT record (\"yesterdays-value\") but none with this challenge's value {Expected}");
    }

    [Fact]
    public async Task Validate_ResolverRefuses_IsADnsProblem()
    {
        var problem = await Validator.ValidateAsync(Attempt with { Identifier = "nas.example.com" }, CancellationToken.None);

        AssertProblem(problem, "dns", $"_acme-challenge.nas.example.com: {_dns.EndPoint} answered Refused");
    }

    [Fact]
    public async Task Validate_ResolverThatNeverAnswers_IsADnsProblemWithinTheTimeout()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        await SetResolverAsync($"127.0.0.1:{port}");
        var clock = Stopwatch.StartNew();

        var problem = await Validator.ValidateAsync(Attempt, CancellationToken.None);

        AssertProblem(problem, "dns", $"no answer from 127.0.0.1:{port} within 3 s");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), Timeout + TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Validate_AddressIdentifier_IsNeverCheckedOverDns()
    {
        var problem = await Validator.ValidateAsync(new ChallengeAttempt("ip", "127.0.0.1", "token", KeyAuthorization, 0), CancellationToken.None);

        AssertProblem(problem, "serverInternal", "dns-01 cannot prove the address 127.0.0.1");
    }

    [Theory]
    [InlineData("192.168.1.1", "192.168.1.1:53")]
    [InlineData("192.168.1.1:5353", "192.168.1.1:5353")]
    [InlineData("fd00::1", "[fd00::1]:53")]
    [InlineData("[fd00::1]:5353", "[fd00::1]:5353")]
    [InlineData(" 10.0.0.53 ", "10.0.0.53:53")]
    public void Parse_Address_IsKeptWithItsPort(string text, string expected)
    {
        var parsed = AcmeDnsResolver.Parse(text);

        Assert.True(parsed.IsSuccess, parsed.Error);
        Assert.Equal(expected, AcmeDnsResolver.Describe(parsed.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("dns.home.arpa")]
    [InlineData("192.168.1.1:0")]
    [InlineData("192.168.1.1:70000")]
    [InlineData("0.0.0.0")]
    [InlineData("300.1.1.1")]
    [InlineData("fd00::1:5353x")]
    [InlineData("192.168.1.1:53; rm -rf /")]
    public void Parse_NotAnAddress_IsRefusedWithAnExample(string text)
    {
        var parsed = AcmeDnsResolver.Parse(text);

        Assert.False(parsed.IsSuccess);
        Assert.Contains("is not a DNS server's address: give ADDRESS or ADDRESS:PORT (for example 192.168.1.1", parsed.Error, StringComparison.Ordinal);
    }

    private async Task SetResolverAsync(string endPoint)
    {
        var set = await new AcmeDnsResolver(_storage.Storage).SetAsync(endPoint);
        Assert.True(set.IsSuccess, set.Error);
    }

    private static void AssertProblem(AcmeProblem? problem, string type, string detail)
    {
        Assert.NotNull(problem);
        Assert.Equal("urn:ietf:params:acme:error:" + type, problem.Type);
        Assert.Contains(detail, problem.Detail, StringComparison.Ordinal);
    }
}
