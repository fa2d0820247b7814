using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Core.Acme;

/// <summary>The challenge types a directory can offer (RFC 8555 §8.3, §8.4; RFC 8737).</summary>
public static class AcmeChallengeTypes
{
    public const string Http01 = "http-01";
    public const string TlsAlpn01 = "tls-alpn-01";
    public const string Dns01 = "dns-01";

    /// <summary>Every type validated here, in the order they are offered.</summary>
    public static readonly IReadOnlyList<string> All = [Http01, TlsAlpn01, Dns01];

    /// <summary>
    /// What a new directory offers: http-01 and tls-alpn-01 need nothing but the box itself. dns-01 is turned on by the
    /// operator, who knows which DNS server the boxes update (acme dns-resolver) and that wildcards then become possible.
    /// </summary>
    public static readonly IReadOnlyList<string> Defaults = [Http01, TlsAlpn01];
}

/// <summary>
/// What a directory may issue and how: the lifetime, the names and address ranges, the challenges offered and whether
/// accounts need an external account binding. The same rules for the page, the command line and the API.
/// </summary>
/// <param name="Lifetime">How long what it issues lasts (never past the CA).</param>
/// <param name="AllowedNames">The DNS suffixes and address ranges it issues for (its own list, else the CA's name constraints).</param>
/// <param name="Challenges">The challenge types offered.</param>
/// <param name="HttpPort">Where http-01 validation connects.</param>
/// <param name="TlsAlpnPort">Where tls-alpn-01 validation connects.</param>
/// <param name="RequireEab">New accounts need an EAB key made on the panel.</param>
/// <param name="PointToCrl">Issued certificates name the CA's CRL URL.</param>
public sealed record AcmePolicy(TimeSpan Lifetime, NameConstraints AllowedNames, IReadOnlySet<string> Challenges, int HttpPort, int TlsAlpnPort,
    bool RequireEab, bool PointToCrl)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(90);

    public static readonly TimeSpan MinLifetime = TimeSpan.FromHours(1);

    // CA/Browser Forum ballot SC-22 and Apple's rule (support.apple.com/HT211025): no TLS server certificate over 398 days.
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(397);

    /// <summary>Identifiers per order at most, as Let's Encrypt allows: a certificate with more names is unwieldy for every client.</summary>
    public const int MaxIdentifiers = 100;

    /// <summary>Why <paramref name="identifier"/> cannot be ordered here, or null when it can (before the CA's own constraints, checked at issuance too).</summary>
    public string? Refusal(SubjectAlternativeName identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (identifier.IsWildcard && !Challenges.Contains(AcmeChallengeTypes.Dns01))
        {
            return $"\"{identifier.Value}\" is a wildcard, which only dns-01 can prove, and this directory does not offer dns-01.";
        }

        if (identifier.Kind == SanKind.IpAddress && !Challenges.Contains(AcmeChallengeTypes.Http01) && !Challenges.Contains(AcmeChallengeTypes.TlsAlpn01))
        {
            return $"\"{identifier.Value}\" is an IP address, which only http-01 or tls-alpn-01 can prove (RFC 8738), and this directory offers neither.";
        }

        var list = identifier.Kind == SanKind.Dns ? AllowedNames.PermittedDnsSuffixes.Count : AllowedNames.PermittedIpRanges.Count;
        if (list == 0 || !AllowedNames.Permits(identifier))
        {
            var allowed = string.Join(", ", [.. AllowedNames.PermittedDnsSuffixes, .. AllowedNames.PermittedIpRanges.Select(r => r.ToString())]);
            return $"\"{identifier.Value}\" is outside what this directory issues for ({(allowed.Length == 0 ? "nothing" : allowed)}). The operator can widen it on the panel's ACME page.";
        }

        return null;
    }

    /// <summary>The challenges offered for <paramref name="identifier"/>: dns-01 alone for a wildcard, no dns-01 for an address.</summary>
    public IReadOnlyList<string> ChallengesFor(SubjectAlternativeName identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return AcmeChallengeTypes.All.Where(Challenges.Contains)
            .Where(type => identifier.IsWildcard ? type == AcmeChallengeTypes.Dns01
                : identifier.Kind != SanKind.IpAddress || type != AcmeChallengeTypes.Dns01)
            .ToList();
    }

    internal static AcmePolicy From(AcmeDirectoryRecord record, NameConstraints? authorityConstraints)
    {
        var own = NameConstraints.Create(Lines(record.AllowedDns), Lines(record.AllowedIp));
        var allowed = own.IsSuccess && !own.Value.IsEmpty ? own.Value : authorityConstraints ?? NameConstraints.None;
        return new AcmePolicy(TimeSpan.FromHours(record.LifetimeHours), allowed,
            new HashSet<string>(record.Challenges.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal),
            record.HttpPort, record.TlsAlpnPort, record.RequireEab, record.PointToCrl);
    }

    internal static IReadOnlyList<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A change to a directory's policy; null leaves a setting as it is (or at its default for a new directory).</summary>
public sealed record AcmePolicyDraft
{
    public TimeSpan? Lifetime { get; init; }

    public IReadOnlyList<string>? AllowDns { get; init; }

    public IReadOnlyList<string>? AllowIp { get; init; }

    public IReadOnlyList<string>? Challenges { get; init; }

    public int? HttpPort { get; init; }

    public int? TlsAlpnPort { get; init; }

    public bool? RequireEab { get; init; }

    public bool? PointToCrl { get; init; }

    /// <summary>Checks the draft and writes it into <paramref name="record"/>; nothing is written when a value is refused.</summary>
    internal Result<AcmeDirectoryRecord> ApplyTo(AcmeDirectoryRecord record, NameConstraints? authorityConstraints)
    {
        var lifetime = Lifetime ?? TimeSpan.FromHours(record.LifetimeHours);
        if (lifetime < AcmePolicy.MinLifetime || lifetime > AcmePolicy.MaxLifetime || lifetime.Ticks % TimeSpan.TicksPerHour != 0)
        {
            return Result.Failure<AcmeDirectoryRecord>(
                $"The lifetime must be whole hours from 1 hour to {AcmePolicy.MaxLifetime.TotalDays:0} days (browsers refuse longer); 90 days is usual.");
        }

        var dns = AllowDns ?? AcmePolicy.Lines(record.AllowedDns);
        var ip = AllowIp ?? AcmePolicy.Lines(record.AllowedIp);
        if (dns.Count + ip.Count > 100)
        {
            return Result.Failure<AcmeDirectoryRecord>("At most 100 allowed names and ranges; use wider suffixes or ranges.");
        }

        var names = NameConstraints.Create(dns, ip);
        if (!names.IsSuccess)
        {
            return Result.Failure<AcmeDirectoryRecord>(names.Error!);
        }

        if (names.Value.IsEmpty && (authorityConstraints is null || authorityConstraints.IsEmpty))
        {
            // A CA without name constraints would otherwise issue, to anyone holding an EAB key, for any name on the web
            // that the lab's devices trust it for.
            return Result.Failure<AcmeDirectoryRecord>(
                "This CA has no name constraints, so say which names the directory may issue for (for example --allow-dns lab.internal --allow-ip 192.168.1.0/24).");
        }

        var challenges = Challenges ?? record.Challenges.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var unknown = challenges.FirstOrDefault(c => !AcmeChallengeTypes.All.Contains(c));
        if (unknown is not null)
        {
            return Result.Failure<AcmeDirectoryRecord>($"\"{Display.Literal(unknown)}\" is not a challenge type. Choose from {string.Join(", ", AcmeChallengeTypes.All)}.");
        }

        if (challenges.Count == 0)
        {
            return Result.Failure<AcmeDirectoryRecord>($"Choose at least one challenge type ({string.Join(", ", AcmeChallengeTypes.All)}).");
        }

        var httpPort = HttpPort ?? record.HttpPort;
        var alpnPort = TlsAlpnPort ?? record.TlsAlpnPort;
        if (httpPort is < 1 or > 65535 || alpnPort is < 1 or > 65535)
        {
            return Result.Failure<AcmeDirectoryRecord>("Validation ports must be from 1 to 65535.");
        }

        record.LifetimeHours = (int)lifetime.TotalHours;
        record.AllowedDns = string.Join('\n', names.Value.PermittedDnsSuffixes);
        record.AllowedIp = string.Join('\n', names.Value.PermittedIpRanges.Select(r => r.ToString()));
        record.Challenges = string.Join(' ', AcmeChallengeTypes.All.Where(challenges.Contains));
        record.HttpPort = httpPort;
        record.TlsAlpnPort = alpnPort;
        record.RequireEab = RequireEab ?? record.RequireEab;
        record.PointToCrl = PointToCrl ?? record.PointToCrl;
        return Result.Success(record);
    }
}
