using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Web.Api;

/// <summary>A CA's ACME directory as `acme show` prints it: where clients point, and what it issues and how.</summary>
/// <param name="AuthorityId">The CA's id, as in <c>GET /api/v1/authorities</c>.</param>
/// <param name="AuthorityName">The CA's name.</param>
/// <param name="Enabled">Clients are served (false: its URLs answer 404, everything else is kept).</param>
/// <param name="DirectoryUrl">The URL to give a client (certbot <c>--server</c>, lego <c>--server</c>, uacme <c>-a</c>), on the address this call used.</param>
/// <param name="LifetimeHours">How long what it issues lasts, in hours (never past the CA's own end).</param>
/// <param name="AllowDns">The DNS suffixes it issues for.</param>
/// <param name="AllowIp">The address ranges (CIDR) it issues for.</param>
/// <param name="AllowedFromAuthority">The two lists are the CA's name constraints, as no list of its own was given.</param>
/// <param name="Challenges">The challenge types offered.</param>
/// <param name="HttpPort">The port http-01 validation connects to.</param>
/// <param name="TlsAlpnPort">The port tls-alpn-01 validation connects to.</param>
/// <param name="RequireEab">A new account needs an EAB key made here.</param>
/// <param name="AuthorityNotAfter">When the CA ends; nothing it issues outlives it.</param>
/// <param name="Accounts">How many accounts it holds.</param>
/// <param name="EabKeys">How many EAB keys are not revoked.</param>
/// <param name="CrlUrl">Where the CA's revocation list (DER) is served, on the address this call used.</param>
/// <param name="PointToCrl">Certificates issued here name the CRL URL (off by default: a client that cannot reach it may refuse them).</param>
public sealed record AcmeDirectoryItem(int AuthorityId, string AuthorityName, bool Enabled, string DirectoryUrl, int LifetimeHours, IReadOnlyList<string> AllowDns,
    IReadOnlyList<string> AllowIp, bool AllowedFromAuthority, IReadOnlyList<string> Challenges, int HttpPort, int TlsAlpnPort, bool RequireEab,
    DateTimeOffset AuthorityNotAfter, int Accounts, int EabKeys, string CrlUrl, bool PointToCrl)
{
    internal static AcmeDirectoryItem From(AcmeDirectorySummary d, string origin) => From(d, new AcmeUrls(origin + AcmeUrls.PathPrefix(d.AuthorityId)));

    private static AcmeDirectoryItem From(AcmeDirectorySummary d, AcmeUrls urls) => new(d.AuthorityId, d.AuthorityName, d.Enabled,
        urls.Directory, (int)d.Policy.Lifetime.TotalHours, d.Policy.AllowedNames.PermittedDnsSuffixes,
        [.. d.Policy.AllowedNames.PermittedIpRanges.Select(r => r.ToString())], d.AllowedFromAuthority,
        [.. AcmeChallengeTypes.All.Where(d.Policy.Challenges.Contains)], d.Policy.HttpPort, d.Policy.TlsAlpnPort, d.Policy.RequireEab,
        d.AuthorityNotAfter, d.Accounts, d.EabKeys, urls.Crl, d.Policy.PointToCrl);
}

/// <summary>Every ACME directory, by CA id.</summary>
/// <param name="Items">The directories, on or off.</param>
public sealed record AcmeDirectoryList(IReadOnlyList<AcmeDirectoryItem> Items);

/// <summary>
/// The body of <c>PUT</c> and <c>PATCH /api/v1/acme/{id}</c>: what `acme enable` and `acme update` take; what is left out
/// stays (or takes its default: 90 days, http-01 on port 80, EAB required, the CA's name constraints).
/// </summary>
public sealed record AcmePolicyBody
{
    /// <summary>Lifetime of what it issues in days, 1 to 397.</summary>
    public int? LifetimeDays { get; init; }

    /// <summary>Lifetime in hours instead, 1 to 9528, for short-lived certificates; not with lifetimeDays.</summary>
    public int? LifetimeHours { get; init; }

    /// <summary>The DNS suffixes it may issue for; replaces the list (empty: back to the CA's name constraints).</summary>
    public IReadOnlyList<string>? AllowDns { get; init; }

    /// <summary>The address ranges (CIDR) it may issue for; replaces the list.</summary>
    public IReadOnlyList<string>? AllowIp { get; init; }

    /// <summary>The challenge types offered.</summary>
    public IReadOnlyList<string>? Challenges { get; init; }

    /// <summary>The port http-01 validation connects to, 1 to 65535.</summary>
    public int? HttpPort { get; init; }

    /// <summary>The port tls-alpn-01 validation connects to, 1 to 65535.</summary>
    public int? TlsAlpnPort { get; init; }

    /// <summary>A new account needs an EAB key made here (false: any client may open one).</summary>
    public bool? RequireEab { get; init; }

    /// <summary>Certificates issued here name the CA's CRL URL (default false: a client that cannot reach it may refuse them).</summary>
    public bool? PointToCrl { get; init; }

    internal Result<AcmePolicyDraft> ToDraft()
    {
        if (LifetimeDays is not null && LifetimeHours is not null)
        {
            return Result.Failure<AcmePolicyDraft>("Give lifetimeDays or lifetimeHours, not both.");
        }

        // Out of range is passed on as zero, which the policy refuses with its own sentence (and no TimeSpan overflows).
        TimeSpan? lifetime = LifetimeDays is { } days ? TimeSpan.FromDays(days is > 0 and <= 397 ? days : 0)
            : LifetimeHours is { } hours ? TimeSpan.FromHours(hours is > 0 and <= 9528 ? hours : 0) : null;
        return Result.Success(new AcmePolicyDraft
        {
            Lifetime = lifetime,
            AllowDns = AllowDns,
            AllowIp = AllowIp,
            Challenges = Challenges,
            HttpPort = HttpPort,
            TlsAlpnPort = TlsAlpnPort,
            RequireEab = RequireEab,
            PointToCrl = PointToCrl,
        });
    }
}

/// <summary>An EAB key as `acme eab list` shows it; never its HMAC key.</summary>
/// <param name="KeyId">The key id a client sends (certbot <c>--eab-kid</c>, lego <c>--kid</c>).</param>
/// <param name="Label">What it is for.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="CreatedBy">Who made it (<c>token:NAME</c>, <c>web:USER</c>, <c>cli</c>).</param>
/// <param name="RevokedAt">When it was revoked; null while it can open an account.</param>
/// <param name="AccountId">The account that used it; null while unused.</param>
public sealed record AcmeEabKeyItem(string KeyId, string Label, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt, int? AccountId)
{
    internal static AcmeEabKeyItem From(AcmeEabKeySummary k) => new(k.KeyId, k.Label, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.AccountId);
}

/// <summary>A directory's EAB keys, oldest first.</summary>
/// <param name="Items">The keys, revoked ones too.</param>
public sealed record AcmeEabKeyList(IReadOnlyList<AcmeEabKeyItem> Items);

/// <summary>A new EAB key: the HMAC key is in this answer once and never again.</summary>
/// <param name="KeyId">The key id a client sends.</param>
/// <param name="HmacKey">The HMAC key, base64url, for the client (certbot <c>--eab-hmac-key</c>, lego <c>--hmac</c>); not shown again.</param>
/// <param name="Label">What it is for.</param>
public sealed record AcmeEabKeyCreatedDocument(string KeyId, string HmacKey, string Label);

/// <summary>The body of <c>POST /api/v1/acme/{id}/eab-keys</c>.</summary>
public sealed record CreateAcmeEabKeyBody
{
    /// <summary>What the key is for, at most 100 characters (for example "proxmox").</summary>
    public string? Label { get; init; }
}

/// <summary>An ACME account as `acme accounts` lists it.</summary>
/// <param name="Id">The account's id in this directory.</param>
/// <param name="Thumbprint">Its key's JWK thumbprint (RFC 7638).</param>
/// <param name="Contact">Its contact URLs (mailto:…).</param>
/// <param name="Status">valid, deactivated or revoked.</param>
/// <param name="CreatedAt">When it was opened.</param>
/// <param name="CreatedFrom">The client address that opened it.</param>
/// <param name="EabKeyId">The EAB key it was bound with, if any.</param>
/// <param name="LastOrderAt">When it last ordered, if ever.</param>
public sealed record AcmeAccountItem(int Id, string Thumbprint, IReadOnlyList<string> Contact, string Status, DateTimeOffset CreatedAt, string CreatedFrom,
    string? EabKeyId, DateTimeOffset? LastOrderAt)
{
    internal static AcmeAccountItem From(AcmeAccountSummary a) => new(a.Id, a.Thumbprint, a.Contact, a.Status, a.CreatedAt, a.CreatedFrom, a.EabKeyId, a.LastOrderAt);
}

/// <summary>A directory's accounts, oldest first.</summary>
/// <param name="Items">The accounts, deactivated ones too.</param>
public sealed record AcmeAccountList(IReadOnlyList<AcmeAccountItem> Items);

/// <summary>An ACME order as `acme orders` lists it, with the reason when it failed.</summary>
/// <param name="Id">The order's id.</param>
/// <param name="AccountId">The account that placed it.</param>
/// <param name="Status">pending, ready, processing, valid or invalid.</param>
/// <param name="Identifiers">What it is for, each as <c>dns:name</c> or <c>ip:address</c>.</param>
/// <param name="CreatedAt">When it was placed.</param>
/// <param name="ExpiresAt">When it expires unless finished.</param>
/// <param name="Error">Why it failed, as the client was told.</param>
/// <param name="CertificateId">The issued certificate's id in the inventory.</param>
public sealed record AcmeOrderItem(int Id, int AccountId, string Status, IReadOnlyList<string> Identifiers, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    string? Error, int? CertificateId)
{
    internal static AcmeOrderItem From(AcmeOrderSummary o) => new(o.Id, o.AccountId, o.Status, o.Identifiers, o.CreatedAt, o.ExpiresAt, o.Error, o.CertificateId);
}

/// <summary>A directory's orders, newest first.</summary>
/// <param name="Items">The orders.</param>
public sealed record AcmeOrderList(IReadOnlyList<AcmeOrderItem> Items);

/// <summary>The addresses validation uses for names before DNS, as `acme resolve` prints them.</summary>
/// <param name="Entries">NAME=ADDRESS, one per address.</param>
public sealed record AcmeResolverDocument(IReadOnlyList<string> Entries);

/// <summary>The body of <c>PUT /api/v1/acme/resolver</c>: the whole list, replacing the stored one.</summary>
public sealed record SetAcmeResolverBody
{
    /// <summary>NAME=ADDRESS entries (a name may come several times for several addresses); empty clears the list.</summary>
    public IReadOnlyList<string>? Entries { get; init; }
}

/// <summary>The examples of the ACME calls in the OpenAPI document.</summary>
internal static class AcmeExamples
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);

    public static AcmeDirectoryItem Item => new(1, "Home Root CA", true, "https://nas.home.arpa:5001/acme/1/directory", 2160, ["home.arpa"],
        ["192.168.1.0/24"], false, ["http-01", "tls-alpn-01"], 80, 443, true, At.AddYears(10), 2, 1, "https://nas.home.arpa:5001/acme/1/crl", false);

    public static AcmeDirectoryList List => new([Item]);

    public static AcmePolicyBody Policy => new() { LifetimeDays = 30, AllowDns = ["home.arpa"], AllowIp = ["192.168.1.0/24"], RequireEab = true };

    public static AcmePolicyBody Update => new() { HttpPort = 8080 };

    public static AcmeEabKeyItem Key => new("3f2a9c0b7d41e8a65b0c9d12", "proxmox", At, "token:ops", null, 2);

    public static AcmeEabKeyList Keys => new([Key]);

    public static AcmeEabKeyItem Revoked => Key with { RevokedAt = At.AddDays(1) };

    public static AcmeEabKeyCreatedDocument Created => new("3f2a9c0b7d41e8a65b0c9d12", "kJ3x0Qm8yP2vT6nR1sW4uZ7aC9eG5iL0oK3hB8dF2jM", "proxmox");

    public static CreateAcmeEabKeyBody Create => new() { Label = "proxmox" };

    public static AcmeAccountItem Account => new(2, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", ["mailto:admin@home.arpa"], "valid", At, "192.168.1.20",
        "3f2a9c0b7d41e8a65b0c9d12", At.AddDays(3));

    public static AcmeAccountList Accounts => new([Account]);

    public static AcmeOrderList Orders => new([
        new AcmeOrderItem(5, 2, "valid", ["dns:pve.home.arpa", "ip:192.168.1.20"], At.AddDays(3), At.AddDays(10), null, 41),
        new AcmeOrderItem(4, 2, "invalid", ["dns:pve.home.arpa"], At.AddDays(2), At.AddDays(9),
            "The box answered http://pve.home.arpa/.well-known/acme-challenge/… with 404.", null)]);

    public static AcmeResolverDocument Resolver => new(["pve.home.arpa=192.168.1.20", "nas.home.arpa=192.168.1.10"]);

    public static SetAcmeResolverBody SetResolver => new() { Entries = ["pve.home.arpa=192.168.1.20", "nas.home.arpa=192.168.1.10"] };
}
