using System.Security.Authentication;
using SynoCertPanel.Core.Watch;
using SynoCertPanel.Pki.Issuance;

namespace SynoCertPanel.Core.Tests.Watch;

/// <summary>The verdict on recorded probes: one named case per state, several problems at once, thresholds, ordering.</summary>
public class EndpointVerdictTests
{
    private static readonly WatchPki Pki = WatchPki.Shared;
    private static readonly DateTimeOffset Now = WatchPki.Now;
    private static readonly IssuedCertificate Current = Pki.Leaf();
    private static readonly IssuedCertificate Older = Pki.Leaf(issuedDaysAgo: 200);
    private static readonly IssuedCertificate Expired = Pki.Leaf(issuedDaysAgo: 100, validityDays: 30);
    private static readonly IssuedCertificate InFiveDays = Pki.Leaf(issuedDaysAgo: 25, validityDays: 30);
    private static readonly IssuedCertificate InTwentyDays = Pki.Leaf(issuedDaysAgo: 10, validityDays: 30);
    private static readonly IssuedCertificate OtherName = Pki.Leaf(["files.home.arpa"]);
    private static readonly IssuedCertificate Stranger = WatchPki.SelfSigned();
    private static readonly IssuedCertificate ExpiredStranger = Expired with { Chain = [] };

    private static readonly EndpointExpectation HomeOnly = new()
    {
        HomeRoots = [Pki.Root.Certificate],
        TrustSystemRoots = false,
    };

    private sealed record Case(IssuedCertificate Served, EndpointExpectation Expected, EndpointState State, string MessagePart,
        string Host = WatchPki.BoxName, SslProtocols Protocol = SslProtocols.Tls13, int? ThresholdDays = null);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["ok: current leaf from the home CA"] = new(Current, HomeOnly with { Latest = Current.Certificate }, EndpointState.Ok,
            "trusted through the home CA \"Watch Test Root\""),
        ["ok: reached by IP address in the SAN"] = new(Current, HomeOnly, EndpointState.Ok, "days left", Host: "127.0.0.1"),
        ["ok: 40 days left is past no threshold"] = new(Pki.Leaf(issuedDaysAgo: 0, validityDays: 41), HomeOnly, EndpointState.Ok, "40 days left"),
        ["expiring: 5 days left passes the 7-day threshold"] = new(InFiveDays, HomeOnly, EndpointState.Expiring, "within 7 days", ThresholdDays: 7),
        ["expiring: 20 days left passes the 30-day threshold"] = new(InTwentyDays, HomeOnly, EndpointState.Expiring, "within 30 days", ThresholdDays: 30),
        ["expired"] = new(Expired, HomeOnly, EndpointState.Expired, "expired on"),
        ["not latest: an older leaf than the one issued"] = new(Older, HomeOnly with { Latest = Current.Certificate }, EndpointState.NotLatest,
            "not the latest issued for it"),
        ["name not covered: the probed name"] = new(OtherName, HomeOnly, EndpointState.NameNotCovered,
            "does not cover nas.home.arpa, the name it was reached by; it covers files.home.arpa"),
        ["name not covered: an IP written as a DNS name is not an IP SAN"] = new(OtherName, HomeOnly, EndpointState.NameNotCovered,
            "does not cover 127.0.0.1", Host: "127.0.0.1"),
        ["name not covered: another of the box's addresses"] = new(Current, HomeOnly with { BoxAddresses = [WatchPki.BoxName, "192.168.1.10"] },
            EndpointState.NameNotCovered, "does not cover 192.168.1.10, where the box is also reached"),
        ["untrusted: self-signed by a stranger root"] = new(Stranger, HomeOnly, EndpointState.Untrusted, "does not lead to a home CA root"),
        ["untrusted: leaf without its intermediate"] = new(Current with { Chain = [] }, HomeOnly, EndpointState.Untrusted, "does not lead"),
        ["untrusted: home CA chain but no home roots held and no system roots"] = new(Current, HomeOnly with { HomeRoots = [] },
            EndpointState.Untrusted, "no home CA root is held here"),
        ["untrusted: the home chain is not a system root"] = new(Current, new EndpointExpectation { TrustSystemRoots = true },
            EndpointState.Untrusted, "does not lead"),
        ["weak: TLS 1.0 negotiated"] = new(Current, HomeOnly, EndpointState.Weak, "speaks only TLS 1.0 (browsers refuse it since 2020)",
#pragma warning disable SYSLIB0039, CA5397
            Protocol: SslProtocols.Tls),
#pragma warning restore SYSLIB0039, CA5397
        ["expired leads: expired and untrusted at once"] = new(ExpiredStranger, HomeOnly, EndpointState.Expired, "expired on"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Judge_NamedCase_GivesItsState(string name)
    {
        var @case = Cases[name];
        var probe = Served(@case.Served, @case.Host, @case.Protocol);

        var verdict = EndpointVerdict.Judge(probe, @case.Expected, new FixedClock(Now));

        Assert.True(@case.State == verdict.State, $"{name}: {verdict.State} — {string.Join(" | ", verdict.Findings.Select(f => f.Message))}");
        Assert.Contains(@case.MessagePart, verdict.Message, StringComparison.Ordinal);
        Assert.Equal(@case.ThresholdDays, verdict.ThresholdDays);
    }

    [Fact]
    public void Judge_FailedProbe_IsUnreachableWithTheProbeSentence()
    {
        var target = ProbeTarget.For("nas.home.arpa", 5001);
        var failure = new ProbeFailure(ProbeFailureKind.Refused, "nas.home.arpa:5001 refused the connection: nothing listens on port 5001.");

        var verdict = EndpointVerdict.Judge(ProbeResult.Failed(target, Now, TimeSpan.FromMilliseconds(3), failure), HomeOnly, new FixedClock(Now));

        Assert.Equal(EndpointState.Unreachable, verdict.State);
        Assert.Equal(failure.Message, verdict.Message);
    }

    [Fact]
    public void Judge_SeveralProblems_KeepsAllWorstFirst()
    {
        var expected = HomeOnly with { Latest = Current.Certificate, HomeRoots = [] };
        var probe = Served(InFiveDays, "files.home.arpa", SslProtocols.Tls12);

        var verdict = EndpointVerdict.Judge(probe, expected, new FixedClock(Now));

        Assert.Equal(
            [EndpointState.Untrusted, EndpointState.NameNotCovered, EndpointState.NotLatest, EndpointState.Expiring],
            verdict.Findings.Select(f => f.State));
        Assert.Equal(EndpointState.Untrusted, verdict.State);
        Assert.True(verdict.Has(EndpointState.Expiring));
    }

    [Fact]
    public void Judge_ConfiguredThresholds_AreUsed()
    {
        var expected = HomeOnly with { Thresholds = new WatchThresholds { ExpiringDays = [60, 21] } };

        var verdict = EndpointVerdict.Judge(Served(InTwentyDays), expected, new FixedClock(Now));

        Assert.Equal(EndpointState.Expiring, verdict.State);
        Assert.Equal(21, verdict.ThresholdDays);
    }

    [Fact]
    public void Judge_LaterClock_MovesThroughTheThresholds()
    {
        var leaf = Current.Certificate;
        var days = new[] { 31, 30, 14, 7, 1 }.Select(d => leaf.NotAfter.AddDays(-d).AddMinutes(1));

        var states = days.Select(at => EndpointVerdict.Judge(Served(Current), HomeOnly, new FixedClock(at))).Select(v => (v.State, v.ThresholdDays)).ToList();

        Assert.Equal([(EndpointState.Ok, null), (EndpointState.Expiring, 30), (EndpointState.Expiring, 14), (EndpointState.Expiring, 7),
            (EndpointState.Expiring, 7)], states);
        Assert.Equal(EndpointState.Expired, EndpointVerdict.Judge(Served(Current), HomeOnly, new FixedClock(leaf.NotAfter.AddSeconds(1))).State);
    }

    [Fact]
    public void Severity_SortsWorstFirst()
    {
        var verdicts = new[]
        {
            EndpointVerdict.Judge(Served(InTwentyDays), HomeOnly, new FixedClock(Now)),
            EndpointVerdict.Judge(Served(Current), HomeOnly, new FixedClock(Now)),
            EndpointVerdict.Judge(Served(Expired), HomeOnly, new FixedClock(Now)),
            EndpointVerdict.Judge(Served(InFiveDays), HomeOnly, new FixedClock(Now)),
            EndpointVerdict.Judge(ProbeResult.Failed(ProbeTarget.For("pve.home.arpa", 8006), Now, TimeSpan.Zero,
                new ProbeFailure(ProbeFailureKind.Timeout, "timed out")), HomeOnly, new FixedClock(Now)),
        };

        var order = verdicts.OrderByDescending(v => v.Severity).Select(v => (v.State, v.ThresholdDays));

        Assert.Equal([(EndpointState.Unreachable, null), (EndpointState.Expired, null), (EndpointState.Expiring, 7), (EndpointState.Expiring, 30),
            (EndpointState.Ok, (int?)null)], order);
    }

    [Theory]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 30, -1 })]
    public void WatchThresholds_NotPositive_Throws(int[] days)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WatchThresholds { ExpiringDays = days });
    }

    internal static ProbeResult Served(IssuedCertificate served, string host = WatchPki.BoxName, SslProtocols protocol = SslProtocols.Tls13) => new()
    {
        Target = ProbeTarget.For(host, 443),
        ProbedAt = Now,
        Elapsed = TimeSpan.FromMilliseconds(5),
        ServedChain = [.. served.FullChain.Select(c => c.ToDer())],
        Protocol = protocol,
    };
}
