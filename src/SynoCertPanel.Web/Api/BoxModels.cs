using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Api;

/// <summary>A watched endpoint and what its last probe found.</summary>
public sealed record BoxEndpointItem(int Id, string Host, int Port, string? State, string? Message, DateTimeOffset? CheckedAt, string? ServedFingerprint,
    DateTimeOffset? ServedNotAfter)
{
    internal static BoxEndpointItem From(BoxEndpointSummary e) => new(e.Id, e.Host, e.Port, e.State, e.Message, e.CheckedAt, e.ServedFingerprint, e.ServedNotAfter);
}

/// <summary>A box as `box show` prints it: its settings, which secrets are set (never their values), its endpoints.</summary>
public sealed record BoxItem(int Id, string Name, IReadOnlyList<string> Addresses, string Delivery, bool Enabled, int? AuthorityId, int? CertificateId,
    IReadOnlyDictionary<string, string> Settings, IReadOnlyList<string> SecretsSet, IReadOnlyList<BoxEndpointItem> Endpoints, DateTimeOffset CreatedAt)
{
    internal static BoxItem From(BoxSummary b) => new(b.Id, b.Name, b.Addresses, b.Delivery.Name(), b.Enabled, b.AuthorityId, b.CertificateId, b.Settings,
        b.SecretsSet, [.. b.Endpoints.Select(BoxEndpointItem.From)], b.CreatedAt);
}

public sealed record BoxList(IReadOnlyList<BoxItem> Items);

/// <summary>The body of <c>POST /api/v1/boxes</c>: what `box add` takes.</summary>
public sealed record CreateBoxBody
{
    /// <summary>A name for the box: letters, digits, spaces, dots, dashes, underscores; unique.</summary>
    public string? Name { get; init; }

    /// <summary>DNS names and IP addresses the box is reached at; its certificate covers them all.</summary>
    public IReadOnlyList<string>? Addresses { get; init; }

    /// <summary>TLS endpoints to probe (<c>host:port</c>, <c>[IPv6]:port</c>); default: the first address on port 443.</summary>
    public IReadOnlyList<string>? Watch { get; init; }

    /// <summary>none, ssh, dsm, proxmox, panel or webhook; none (watch only) when unset.</summary>
    public string? Delivery { get; init; }

    /// <summary>The delivery method's settings by name, as `box add --NAME value` takes them.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>The method's secret settings (passwords, tokens, keys): sealed here, never returned.</summary>
    public IReadOnlyDictionary<string, string>? Secrets { get; init; }

    /// <summary>A CA held here that issues (and renews) the box's certificate.</summary>
    public int? AuthorityId { get; init; }

    /// <summary>A certificate from the inventory to deliver as it is.</summary>
    public int? CertificateId { get; init; }

    internal BoxDraft ToDraft() => new()
    {
        Name = Name,
        Addresses = Addresses ?? [],
        Watch = Watch ?? [],
        Delivery = Delivery,
        Settings = Settings ?? new Dictionary<string, string>(),
        Secrets = Secrets ?? new Dictionary<string, string>(),
        AuthorityId = AuthorityId,
        CertificateId = CertificateId,
    };
}

/// <summary>The body of <c>PATCH /api/v1/boxes/{box}</c>: what `box edit` takes; what is left out stays.</summary>
public sealed record UpdateBoxBody
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>All the addresses the box is reached at; replaces the stored list.</summary>
    public IReadOnlyList<string>? Addresses { get; init; }

    /// <summary>All the TLS endpoints to probe; replaces the stored list (an endpoint no longer watched loses its last state).</summary>
    public IReadOnlyList<string>? Watch { get; init; }

    /// <summary>Another delivery method; it keeps none of the old one's settings or secrets.</summary>
    public string? Delivery { get; init; }

    /// <summary>Settings by name, laid over the stored ones; an empty value drops a setting.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>New secrets by name (sealed, never returned); one left out or empty stays as stored.</summary>
    public IReadOnlyDictionary<string, string>? Secrets { get; init; }

    /// <summary>Where the box's certificate comes from from now on; both null: none yet.</summary>
    public BoxSourceBody? Source { get; init; }

    /// <summary>Forget the pinned SSH host key and HTTPS fingerprint: the box is pinned again on next contact.</summary>
    public bool? ForgetPin { get; init; }

    /// <summary>Enable or disable the box.</summary>
    public bool? Enabled { get; init; }

    internal BoxChange ToChange() => new()
    {
        Name = Name,
        Addresses = Addresses,
        Watch = Watch,
        Delivery = Delivery,
        Settings = Settings ?? new Dictionary<string, string>(),
        Secrets = Secrets ?? new Dictionary<string, string>(),
        Source = Source is { } source ? new BoxCertificateSource(source.AuthorityId, source.CertificateId) : null,
        ForgetPin = ForgetPin ?? false,
    };
}

/// <summary>The CA that issues the box's certificate, and the certificate it is given.</summary>
public sealed record BoxSourceBody
{
    public int? AuthorityId { get; init; }

    public int? CertificateId { get; init; }
}

/// <summary>The body of <c>POST /api/v1/boxes/{box}/deploy</c>; empty issues from the box's CA or delivers its current certificate.</summary>
public sealed record DeployBoxBody
{
    /// <summary>The certificate to deliver instead.</summary>
    public int? CertificateId { get; init; }
}

/// <summary>One deploy: which certificate replaced which, how it ended, and its steps (never a secret).</summary>
public sealed record DeploymentDocument(int Id, string Box, int? CertificateId, int? PreviousCertificateId, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string Outcome, string? Failure, string Message, IReadOnlyList<string> Steps)
{
    internal static DeploymentDocument From(DeploymentSummary d) => new(d.Id, d.BoxName, d.CertificateId, d.PreviousCertificateId, d.StartedAt, d.FinishedAt,
        Name(d.Outcome), d.Failure, d.Message, d.Steps);

    private static string Name(DeploymentOutcome outcome) => outcome switch
    {
        DeploymentOutcome.Running => "running",
        DeploymentOutcome.Succeeded => "succeeded",
        DeploymentOutcome.Failed => "failed",
        DeploymentOutcome.RolledBack => "rolled-back",
        _ => "unfinished",
    };
}

public sealed record DeploymentList(IReadOnlyList<DeploymentDocument> Items);

/// <summary>"Test connection": whether the box let the panel in, and which step failed.</summary>
public sealed record BoxTestDocument(bool Succeeded, string? Failure, string Message, IReadOnlyList<string> Steps)
{
    internal static BoxTestDocument From(DeliveryOutcome o) => new(o.Succeeded, o.Failure?.ToString().ToLowerInvariant(), o.Message, o.Steps);
}

public sealed record EndpointFindingItem(string State, string Message);

/// <summary>One endpoint's probe, judged: the worst state first, every finding, and the change an alert is about.</summary>
public sealed record EndpointCheckItem(string Endpoint, string State, int? ThresholdDays, IReadOnlyList<EndpointFindingItem> Findings, string? Changed)
{
    internal static EndpointCheckItem From(EndpointCheck c) => new(c.Verdict.Target.ToString(), BoxWatch.Name(c.Verdict.State), c.Verdict.ThresholdDays,
        [.. c.Verdict.Findings.Select(f => new EndpointFindingItem(BoxWatch.Name(f.State), f.Message))], c.Change?.Message);
}

public sealed record EndpointCheckList(IReadOnlyList<EndpointCheckItem> Items);

internal static class BoxExamples
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);

    public static BoxItem Item => new(2, "nas2", ["nas2.home.arpa", "192.168.1.20"], "ssh", true, 1, 14,
        new Dictionary<string, string>
        {
            ["user"] = "certs",
            ["chain-path"] = "/etc/nginx/tls/fullchain.pem",
            ["key-path"] = "/etc/nginx/tls/privkey.pem",
            ["reload-command"] = "sudo systemctl reload nginx",
            ["host-key"] = "SHA256:3r3B0l6aUQ1mYwQfXvOQ7l2rWm4Yx0cKc1d6n0a8ZJ4",
        },
        ["private-key"],
        [new BoxEndpointItem(3, "nas2.home.arpa", 443, "ok", "Serves the latest certificate, trusted, valid for 264 more days.", At, "6F1E…", At.AddDays(264))],
        At.AddDays(-30));

    public static BoxList List => new([Item]);

    public static CreateBoxBody Create => new()
    {
        Name = "nas2",
        Addresses = ["nas2.home.arpa", "192.168.1.20"],
        Watch = ["nas2.home.arpa:443"],
        Delivery = "webhook",
        Settings = new Dictionary<string, string> { ["url"] = "https://nas2.home.arpa:9443/certificate" },
        Secrets = new Dictionary<string, string> { ["secret"] = "a-long-shared-signing-secret" },
        AuthorityId = 1,
    };

    public static UpdateBoxBody Update => new()
    {
        Watch = ["nas2.home.arpa:443", "nas2.home.arpa:5001"],
        Settings = new Dictionary<string, string> { ["reload-command"] = "sudo systemctl reload nginx" },
        Source = new BoxSourceBody { AuthorityId = 1 },
        ForgetPin = true,
    };

    public static DeploymentDocument Deployment => new(7, "nas2", 15, 14, At, At.AddSeconds(4), "succeeded", null,
        "nas2 serves certificate 15 on nas2.home.arpa:443.",
        ["Issued certificate 15 for nas2.home.arpa, 192.168.1.20 from CA 1.", "Delivering certificate 15 to nas2 by Webhook.",
            "The receiver at nas2.home.arpa:9443 accepted the deploy.", "Verified: nas2.home.arpa:443 serves the new certificate."]);

    public static DeploymentList Deployments => new([Deployment]);

    public static BoxTestDocument Test => new(false, "login", "The receiver at nas2.home.arpa:9443 refused the signature (401); check that it uses the same signing secret.",
        ["POST https://nas2.home.arpa:9443/certificate (test, 61 bytes, signed).", "The receiver answered 401 Unauthorized."]);

    public static EndpointCheckList Checks => new([new EndpointCheckItem("nas2.home.arpa:443", "expiring", 14,
        [new EndpointFindingItem("expiring", "The certificate expires in 12 days (2026-12-18).")], "nas2.home.arpa:443: expiring in 14 days (was OK).")]);
}
