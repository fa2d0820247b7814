using System.Globalization;
using System.Security.Authentication;
using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Core.Watch;

/// <summary>
/// What a probe means: every problem found (worst first) and the state and sentence of the worst, which
/// leads. <see cref="Severity"/> sorts endpoints worst first.
/// </summary>
public sealed record EndpointVerdict
{
    /// <summary>
    /// MD2, MD4, MD5 and SHA-1 signatures (RSA, ECDSA, DSA), refused by every browser since Chrome 56: the list of
    /// the engine's lint rule e_signature_hash_weak. The whole lint is not run here: it verifies every signature
    /// again and costs more than the rest of a verdict together (bench/RESULTS.md).
    /// </summary>
    private static readonly HashSet<string> WeakSignatures =
        ["1.2.840.113549.1.1.2", "1.2.840.113549.1.1.3", "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5", "1.2.840.10045.4.1", "1.2.840.10040.4.3"];

    private EndpointVerdict(ProbeTarget target, DateTimeOffset probedAt, IReadOnlyList<EndpointFinding> findings)
    {
        Target = target;
        ProbedAt = probedAt;
        Findings = [.. findings.OrderByDescending(f => f.Severity)];
    }

    public ProbeTarget Target { get; }

    public DateTimeOffset ProbedAt { get; }

    /// <summary>Every finding, worst first; a single <see cref="EndpointState.Ok"/> finding when all is well.</summary>
    public IReadOnlyList<EndpointFinding> Findings { get; }

    public EndpointState State => Findings[0].State;

    public string Message => Findings[0].Message;

    public int Severity => Findings[0].Severity;

    /// <summary>The tightest expiry threshold passed when the worst finding is <see cref="EndpointState.Expiring"/>.</summary>
    public int? ThresholdDays => Findings[0].ThresholdDays;

    public bool Has(EndpointState state) => Findings.Any(f => f.State == state);

    /// <summary>Judges <paramref name="probe"/> against <paramref name="expected"/> at the time <paramref name="time"/> gives.</summary>
    public static EndpointVerdict Judge(ProbeResult probe, EndpointExpectation expected, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(time);
        var target = probe.Target;
        if (probe.Failure is { } failure)
        {
            return new(target, probe.ProbedAt, [new EndpointFinding(EndpointState.Unreachable, failure.Message)]);
        }

        var parsed = probe.ParseChain();
        if (parsed.Count == 0 || !parsed[0].IsSuccess)
        {
            var reason = parsed.Count == 0 ? "no certificate" : parsed[0].Error;
            return new(target, probe.ProbedAt, [new EndpointFinding(EndpointState.Untrusted, $"{target} serves a certificate the panel cannot read: {reason}")]);
        }

        var now = time.GetUtcNow();
        var leaf = parsed[0].Value;
        var issuers = parsed.Skip(1).Where(r => r.IsSuccess).Select(r => r.Value).ToList();
        var findings = new List<EndpointFinding>();
        findings.AddRange(Validity(target, leaf, issuers, now, expected.Thresholds));
        findings.AddRange(Latest(target, leaf, expected.Latest));
        findings.AddRange(Names(target, leaf, expected.BoxAddresses));
        var trust = ChainTrust.Evaluate(probe.ServedChain, expected.HomeRoots, expected.TrustSystemRoots, now);
        if (!trust.Trusted)
        {
            findings.Add(new(EndpointState.Untrusted,
                $"The chain {target} serves does not lead to a home CA root or a system root ({trust.Problem})."));
        }

        findings.AddRange(Weakness(target, leaf, issuers, probe));
        if (findings.Count == 0)
        {
            findings.Add(new(EndpointState.Ok,
                $"{target} serves \"{Show(leaf)}\" until {Day(leaf.NotAfter)} ({DaysLeft(leaf.NotAfter - now)}), trusted through {trust.Anchor}."));
        }

        return new(target, probe.ProbedAt, findings);
    }

    private static IEnumerable<EndpointFinding> Validity(ProbeTarget target, Certificate leaf, List<Certificate> issuers, DateTimeOffset now,
        WatchThresholds thresholds)
    {
        if (now < leaf.NotBefore)
        {
            yield return new(EndpointState.Expired, $"The certificate {target} serves is not valid until {Day(leaf.NotBefore)}: check the box's clock or the issuer's.");
            yield break;
        }

        if (now > leaf.NotAfter)
        {
            yield return new(EndpointState.Expired, $"The certificate {target} serves expired on {Day(leaf.NotAfter)}: deploy a new one.");
            yield break;
        }

        // A root's dates are the client's own copy's business; an expired intermediate breaks every client.
        var intermediate = issuers.Where(c => !c.IsSelfIssued).OrderBy(c => c.NotAfter).FirstOrDefault();
        if (intermediate is not null && now > intermediate.NotAfter)
        {
            yield return new(EndpointState.Expired,
                $"The intermediate \"{Show(intermediate)}\" that {target} serves expired on {Day(intermediate.NotAfter)}: serve a current chain.");
            yield break;
        }

        var end = intermediate is not null && intermediate.NotAfter < leaf.NotAfter ? intermediate.NotAfter : leaf.NotAfter;
        if (thresholds.Passed(end - now) is { } days)
        {
            var what = end == leaf.NotAfter ? "The certificate" : $"The intermediate \"{Show(intermediate!)}\" in the chain";
            yield return new(EndpointState.Expiring,
                $"{what} {target} serves expires on {Day(end)} ({DaysLeft(end - now)}, within {days.ToString(CultureInfo.InvariantCulture)} days): renew it.",
                days);
        }
    }

    private static IEnumerable<EndpointFinding> Latest(ProbeTarget target, Certificate leaf, Certificate? latest)
    {
        if (latest is not null && !latest.Equals(leaf))
        {
            yield return new(EndpointState.NotLatest,
                $"{target} serves serial {leaf.SerialNumberHex} (until {Day(leaf.NotAfter)}), not the latest issued for it (serial {latest.SerialNumberHex}, until {Day(latest.NotAfter)}): deploy again.");
        }
    }

    private static IEnumerable<EndpointFinding> Names(ProbeTarget target, Certificate leaf, IReadOnlyList<string> boxAddresses)
    {
        var covered = leaf.SubjectAlternativeNames.Count == 0
            ? "it has no DNS or IP names"
            : $"it covers {string.Join(", ", leaf.SubjectAlternativeNames.Select(n => n.Value))}";
        if (!leaf.Covers(target.NameProbed))
        {
            yield return new(EndpointState.NameNotCovered,
                $"The certificate {target} serves does not cover {target.NameProbed}, the name it was reached by; {covered}.");
        }

        var missing = boxAddresses
            .Where(a => !string.Equals(a, target.NameProbed, StringComparison.OrdinalIgnoreCase) && !leaf.Covers(a))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (missing.Count > 0)
        {
            yield return new(EndpointState.NameNotCovered,
                $"The certificate {target} serves does not cover {string.Join(", ", missing)}, where the box is also reached; {covered}.");
        }
    }

    private static IEnumerable<EndpointFinding> Weakness(ProbeTarget target, Certificate leaf, List<Certificate> issuers, ProbeResult probe)
    {
        foreach (var certificate in issuers.Prepend(leaf))
        {
            var which = certificate == leaf ? $"The certificate {target} serves" : $"The issuer \"{Show(certificate)}\" that {target} serves";
            // Apple requires RSA ≥ 2048 (HT210176) and OpenSSL at security level 2 refuses less; browsers take only RSA and P-256/P-384.
            if (!certificate.PublicKey.IsStrongEnough || certificate.PublicKey.HasExplicitCurveParameters)
            {
                yield return new(EndpointState.Weak,
                    $"{which} has a {certificate.PublicKey} key; clients require RSA of 2048 bits or more, or ECDSA P-256/P-384.");
            }

            // A root's signature on itself is never checked (RFC 5280 §6.1), so a SHA-1 root is not a weakness.
            if (!certificate.IsSelfIssued && WeakSignatures.Contains(certificate.SignatureAlgorithmOid))
            {
                yield return new(EndpointState.Weak,
                    $"{which} is signed with {certificate.SignatureAlgorithmName}; clients require SHA-256 or stronger.");
            }
        }

        var cipher = probe.CipherSuite is { } suite ? $", with {suite}" : string.Empty;
#pragma warning disable SYSLIB0039, CA5397
        if (probe.Protocol is SslProtocols.Tls or SslProtocols.Tls11)
#pragma warning restore SYSLIB0039, CA5397
        {
            // The probe offers up to TLS 1.3 (1.2 on the legacy try), so the version the server chose is the best it has.
            // Chrome 84, Firefox 78 and Safari 14 dropped TLS 1.0/1.1 in 2020 (RFC 8996 deprecated them in 2021).
            yield return new(EndpointState.Weak,
                $"{target} speaks only {Protocol(probe.Protocol)} (browsers refuse it since 2020){cipher}: enable TLS 1.2 or 1.3 on the box.");
        }
        else if (probe.ModernFailure is not null)
        {
            yield return new(EndpointState.Weak,
                $"{target} completes a handshake only with legacy settings that current clients refuse ({Protocol(probe.Protocol)}{cipher}): enable current cipher suites and signatures on the box.");
        }
    }

#pragma warning disable SYSLIB0039, CA5397
    private static string Protocol(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls => "TLS 1.0",
        SslProtocols.Tls11 => "TLS 1.1",
        SslProtocols.Tls12 => "TLS 1.2",
        SslProtocols.Tls13 => "TLS 1.3",
        _ => protocol.ToString(),
    };
#pragma warning restore SYSLIB0039, CA5397

    private static string Show(Certificate certificate) =>
        certificate.Subject.CommonName ?? certificate.SubjectText;

    private static string Day(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string DaysLeft(TimeSpan left)
    {
        var days = (int)Math.Floor(left.TotalDays);
        return days switch
        {
            0 => "less than a day left",
            1 => "1 day left",
            _ => $"{days.ToString(CultureInfo.InvariantCulture)} days left",
        };
    }
}
