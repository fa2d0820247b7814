using System.Diagnostics;
using System.Net;
using System.Net.Security;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Core.Acme.Validation;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// tls-alpn-01 validation against real TLS servers on loopback: a good responder, and responders that get RFC 8737 wrong
/// in each way a box can, each ending in a problem with a sentence and none holding the validator past its timeout.
/// </summary>
public sealed class TlsAlpn01ValidatorTests : IAsyncLifetime
{
    private const string KeyAuthorization = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private ValidationStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _storage = await ValidationStorage.CreateAsync();
        var set = await new AcmeResolver(_storage.Storage).SetAsync(["box.home.arpa=127.0.0.1"]);
        Assert.True(set.IsSuccess, set.Error);
    }

    public Task DisposeAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    private TlsAlpn01Validator Validator => new(new AcmeResolver(_storage.Storage), Timeout);

    private static ChallengeAttempt Name(int port, string name = "box.home.arpa") => new("dns", name, "token", KeyAuthorization, port);

    private static ChallengeAttempt Address(int port, string address = "127.0.0.1") => new("ip", address, "token", KeyAuthorization, port);

    [Fact]
    public async Task Validate_GoodResponderForAName_IsValidAndSendsTheNameAsSni()
    {
        await using var box = TlsAlpnResponder.Answering(TlsAlpnResponder.BuildCertificate(KeyAuthorization, dnsNames: ["box.home.arpa"]));

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        Assert.Null(problem);
        Assert.Equal("box.home.arpa", Assert.Single(box.ServerNames));
    }

    [Fact]
    public async Task Validate_GoodResponderForAnAddress_IsValidAndSendsTheReverseNameAsSni()
    {
        await using var box = TlsAlpnResponder.Answering(TlsAlpnResponder.BuildCertificate(KeyAuthorization, addresses: [IPAddress.Loopback]));

        var problem = await Validator.ValidateAsync(Address(box.Port), CancellationToken.None);

        Assert.Null(problem);
        Assert.Equal("1.0.0.127.in-addr.arpa", Assert.Single(box.ServerNames));
    }

    [Theory]
    [InlineData("127.0.0.1", "1.0.0.127.in-addr.arpa")]
    [InlineData("192.168.1.20", "20.1.168.192.in-addr.arpa")]
    [InlineData("::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa")]
    // RFC 3596 §2.5's own example address.
    [InlineData("4321:0:1:2:3:4:567:89ab", "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa")]
    public void ReverseName_Address_IsTheRfc8738SniName(string address, string expected) =>
        Assert.Equal(expected, TlsAlpn01Validator.ReverseName(IPAddress.Parse(address)));

    [Fact]
    public async Task Validate_ServerOfferingOnlyHttp11_IsATlsProblem()
    {
        await using var box = TlsAlpnResponder.Answering(TlsAlpnResponder.BuildCertificate(KeyAuthorization, dnsNames: ["box.home.arpa"]),
            SslApplicationProtocol.Http11);

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        AssertProblem(problem, "tls", "acme-tls/1");
    }

    [Fact]
    public async Task Validate_ServerWithoutAlpn_IsATlsProblemSayingAnOrdinaryServerAnswered()
    {
        await using var box = TlsAlpnResponder.WithoutAlpn(TlsAlpnResponder.BuildCertificate(KeyAuthorization, dnsNames: ["box.home.arpa"]));

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        AssertProblem(problem, "tls", "without choosing the \"acme-tls/1\" protocol (it chose none)");
    }

    [Fact]
    public async Task Validate_CertificateWithoutTheExtension_IsAnIncorrectResponse()
    {
        await using var box = TlsAlpnResponder.Answering(TlsAlpnResponder.BuildCertificate(KeyAuthorization, dnsNames: ["box.home.arpa"], withExtension: false));

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        AssertProblem(problem, "incorrectResponse", "has no acmeIdentifier extension (1.3.6.1.5.5.7.1.31)");
    }

    [Fact]
    public async Task Validate_ExtensionNotCritical_IsAnIncorrectResponse()
    {
        await using var box = TlsAlpnResponder.Answering(TlsAlpnResponder.BuildCertificate(KeyAuthorization, dnsNames: ["box.home.arpa"], critical: false));

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        AssertProblem(problem, "incorrectResponse", "is not marked critical");
    }

    [Fact]
    public async Task Validate_DigestOfAnotherKeyAuthorization_IsUnauthorized()
    {
        await using var box = TlsAlpnResponder.Answering(TlsAlpnResponder.BuildCertificate(KeyAuthorization + "x", dnsNames: ["box.home.arpa"]));

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        AssertProblem(problem, "unauthorized", "digest of another key authorization");
    }

    [Fact]
    public async Task Validate_DigestNot32Bytes_IsAnIncorrectResponse()
    {
        await using var box = TlsAlpnResponder.Answering(TlsAlpnResponder.BuildCertificate(KeyAuthorization, dnsNames: ["box.home.arpa"], digest: new byte[20]));

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        AssertProblem(problem, "incorrectResponse", "not an OCTET STRING of a SHA-256 digest");
    }

    [Fact]
    public async Task Validate_TwoSubjectAltNames_IsAnIncorrectResponse()
    {
        await using var box = TlsAlpnResponder.Answering(TlsAlpnResponder.BuildCertificate(KeyAuthorization, dnsNames: ["box.home.arpa", "other.home.arpa"]));

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        AssertProblem(problem, "incorrectResponse", "exactly one entry, the DNS name box.home.arpa; it holds 2 (DNS name box.home.arpa, DNS name other.home.arpa)");
    }

    [Fact]
    public async Task Validate_CertificateForAnotherName_IsAnIncorrectResponse()
    {
        await using var box = TlsAlpnResponder.Answering(TlsAlpnResponder.BuildCertificate(KeyAuthorization, dnsNames: ["other.home.arpa"]));

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        AssertProblem(problem, "incorrectResponse", "it holds 1 (DNS name other.home.arpa)");
    }

    [Fact]
    public async Task Validate_AddressIdentifierWithDnsNameInTheCertificate_IsAnIncorrectResponse()
    {
        await using var box = TlsAlpnResponder.Answering(TlsAlpnResponder.BuildCertificate(KeyAuthorization, dnsNames: ["1.0.0.127.in-addr.arpa"]));

        var problem = await Validator.ValidateAsync(Address(box.Port), CancellationToken.None);

        AssertProblem(problem, "incorrectResponse", "the IP address 127.0.0.1");
    }

    [Fact]
    public async Task Validate_CertificateWithoutSubjectAltName_IsAnIncorrectResponse()
    {
        await using var box = TlsAlpnResponder.Answering(TlsAlpnResponder.BuildCertificate(KeyAuthorization));

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        AssertProblem(problem, "incorrectResponse", "no readable subjectAltName");
    }

    [Fact]
    public async Task Validate_ServerThatNeverAnswers_IsAConnectionProblemWithinTheTimeout()
    {
        await using var box = TlsAlpnResponder.Misbehaving(TlsAlpnResponder.Behaviour.Silent);
        var clock = Stopwatch.StartNew();

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        AssertProblem(problem, "connection", "no complete TLS handshake within 3 s");
        Assert.InRange(clock.Elapsed, Timeout - TimeSpan.FromMilliseconds(200), Timeout + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Validate_ServerSendingEndlessJunk_IsATlsProblemAtOnce()
    {
        await using var box = TlsAlpnResponder.Misbehaving(TlsAlpnResponder.Behaviour.Junk);
        var clock = Stopwatch.StartNew();

        var problem = await Validator.ValidateAsync(Name(box.Port), CancellationToken.None);

        AssertProblem(problem, "tls", "the TLS handshake with ALPN \"acme-tls/1\" failed");
        Assert.True(clock.Elapsed < Timeout, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Validate_NothingListening_IsAConnectionProblem()
    {
        var problem = await Validator.ValidateAsync(Name(AcmeLab.FreePort()), CancellationToken.None);

        AssertProblem(problem, "connection", "connection to 127.0.0.1 failed (ConnectionRefused)");
    }

    [Fact]
    public async Task Validate_NameNobodyKnows_IsADnsProblem()
    {
        var problem = await Validator.ValidateAsync(Name(AcmeLab.FreePort(), "nobody.invalid"), CancellationToken.None);

        AssertProblem(problem, "dns", "nobody.invalid: no address found");
    }

    private static void AssertProblem(AcmeProblem? problem, string type, string detail)
    {
        Assert.NotNull(problem);
        Assert.Equal("urn:ietf:params:acme:error:" + type, problem.Type);
        Assert.Contains(detail, problem.Detail, StringComparison.Ordinal);
    }
}
