namespace SynoCertPanel.Core.Storage;

public enum CertificateSource
{
    Created,
    Imported,
    /// <summary>Issued here for a CSR made on another box (that box keeps the key).</summary>
    SignedRequest,
}

/// <summary>A certificate in the inventory: the leaf, its chain, and the columns the list shows and sorts by.</summary>
public sealed class CertificateRecord
{
    public int Id { get; set; }

    public string Description { get; set; } = string.Empty;

    public required string Subject { get; set; }

    public string? CommonName { get; set; }

    /// <summary>The SANs as the list shows them, one per line (DNS:…, IP:…), for search.</summary>
    public required string AlternativeNames { get; set; }

    public required string Issuer { get; set; }

    public required string SerialNumber { get; set; }

    public required DateTimeOffset NotBefore { get; set; }

    public required DateTimeOffset NotAfter { get; set; }

    public required string KeyDescription { get; set; }

    public required string Sha256Fingerprint { get; set; }

    public required CertificateSource Source { get; set; }

    public bool IsCertificateAuthority { get; set; }

    public required byte[] Der { get; set; }

    /// <summary>Issuers above the leaf, nearest first, as concatenated PEM.</summary>
    public string ChainPem { get; set; } = string.Empty;

    public int? PrivateKeyId { get; set; }

    public PrivateKeyRecord? PrivateKey { get; set; }

    /// <summary>The CA held here that issued this certificate, if any.</summary>
    public int? IssuedByAuthorityId { get; set; }

    public AuthorityRecord? IssuedByAuthority { get; set; }

    /// <summary>The renewal that took this certificate's place; kept for its history until deleted, hidden from the current list.</summary>
    public int? ReplacedById { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A private key, encrypted at rest with the key-encryption key (never stored in the database).</summary>
public sealed class PrivateKeyRecord
{
    public int Id { get; set; }

    public required string Algorithm { get; set; }

    /// <summary>SHA-256 of the SubjectPublicKeyInfo: finds the key of an imported certificate or a returning CSR.</summary>
    public required string PublicKeySha256 { get; set; }

    public required byte[] EncryptedPkcs8 { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A CA held here: its certificate (with key) and the bookkeeping of what it issued.</summary>
public sealed class AuthorityRecord
{
    public int Id { get; set; }

    public int CertificateId { get; set; }

    public CertificateRecord Certificate { get; set; } = null!;

    public required DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Every serial an authority here has used: the unique index makes a repeat impossible.</summary>
public sealed class IssuedSerialRecord
{
    public int Id { get; set; }

    public int AuthorityId { get; set; }

    public required string SerialNumber { get; set; }

    public required DateTimeOffset IssuedAt { get; set; }
}

/// <summary>A CSR made here whose signed certificate has not come back yet; its key waits with it.</summary>
public sealed class PendingRequestRecord
{
    public int Id { get; set; }

    public string Description { get; set; } = string.Empty;

    public required string Subject { get; set; }

    public required string AlternativeNames { get; set; }

    public required byte[] CsrDer { get; set; }

    public int PrivateKeyId { get; set; }

    public PrivateKeyRecord PrivateKey { get; set; } = null!;

    /// <summary>Set when the request renews an inventory certificate.</summary>
    public int? RenewsCertificateId { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }
}

public enum AuditOutcome
{
    Succeeded,
    Refused,
    Failed,
}

public sealed class AuditEventRecord
{
    public long Id { get; set; }

    public required DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public int? CertificateId { get; set; }

    public required string Target { get; set; }

    public required AuditOutcome Outcome { get; set; }

    public string Detail { get; set; } = string.Empty;
}

/// <summary>Small named values: which certificate is the default, the key-encryption key's check value.</summary>
public sealed class SettingRecord
{
    public required string Name { get; set; }

    public required string Value { get; set; }
}

/// <summary>
/// A bearer token for the API. Only the SHA-256 of its secret is kept: the secret is 32 random bytes, so a plain hash
/// cannot be reversed by guessing, and the secret itself is shown once when the token is made.
/// </summary>
public sealed class ApiTokenRecord
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The granted scopes, space-separated as in OAuth's "scope" parameter (RFC 6749, section 3.3).</summary>
    public required string Scopes { get; set; }

    public required byte[] SecretSha256 { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Written at most once a minute per token (ApiTokenCheck), so a busy script does not write on every call.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>Another box of the lab: where it is reached, how certificates reach it, and what it should serve.</summary>
public sealed class BoxRecord
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>DNS names and IP addresses, one per line, as the SAN parser wrote them (DNS:…, IP:…).</summary>
    public required string Addresses { get; set; }

    /// <summary>A <c>DeliveryKind</c> name (none, ssh, dsm, proxmox, panel, webhook).</summary>
    public required string Delivery { get; set; }

    /// <summary>The delivery method's options that are not secret, as a JSON object of strings.</summary>
    public string Settings { get; set; } = "{}";

    /// <summary>The secret options, a JSON object sealed with the key-encryption key for "box:ID".</summary>
    public byte[]? SealedSecrets { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>The CA held here that (re)issues the box's certificate; null when a chosen certificate is delivered as is.</summary>
    public int? AuthorityId { get; set; }

    /// <summary>The certificate the box should serve: the last one delivered, or the one chosen for the next deploy.</summary>
    public int? CertificateId { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public List<BoxEndpointRecord> Endpoints { get; set; } = [];
}

/// <summary>A TLS endpoint of a box that the panel probes, with what the last probe saw.</summary>
public sealed class BoxEndpointRecord
{
    public int Id { get; set; }

    public int BoxId { get; set; }

    public required string Host { get; set; }

    public int Port { get; set; }

    public DateTimeOffset? CheckedAt { get; set; }

    /// <summary>The last probe's state (ok, expiring, expired, …); null before the first probe.</summary>
    public string? State { get; set; }

    public string? Message { get; set; }

    public string? ServedFingerprint { get; set; }

    public DateTimeOffset? ServedNotAfter { get; set; }

    /// <summary>The chain the endpoint sent, leaf first, as PEM.</summary>
    public string? ServedChainPem { get; set; }
}

public enum DeploymentOutcome
{
    /// <summary>Started and not finished: on start-up such rows become <see cref="Unfinished"/>.</summary>
    Running,
    Succeeded,
    Failed,

    /// <summary>Verification failed and the previous certificate was put back.</summary>
    RolledBack,

    /// <summary>The panel stopped in the middle; the box is probed again to learn what it serves.</summary>
    Unfinished,
}

/// <summary>One deploy to a box: which certificate replaced which, how it ended, and the readable steps (no secrets).</summary>
public sealed class DeploymentRecord
{
    public int Id { get; set; }

    public int BoxId { get; set; }

    public int? CertificateId { get; set; }

    public int? PreviousCertificateId { get; set; }

    public required DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public DeploymentOutcome Outcome { get; set; }

    /// <summary>The failed step (a <c>DeliveryFailure</c> name, or "verify"), null on success.</summary>
    public string? Failure { get; set; }

    public string Message { get; set; } = string.Empty;

    public string Steps { get; set; } = string.Empty;

    public required string Actor { get; set; }
}

/// <summary>Where alerts go: an ntfy topic, a Gotify server, a webhook or a mailbox, with its secret sealed.</summary>
public sealed class AlertChannelRecord
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>An <c>AlertKind</c> name (ntfy, gotify, webhook, email).</summary>
    public required string Kind { get; set; }

    /// <summary>The channel's options that are not secret, as a JSON object of strings.</summary>
    public string Settings { get; set; } = "{}";

    /// <summary>The secret options (token, signing secret, SMTP password), a JSON object sealed for "alert:ID".</summary>
    public byte[]? SealedSecrets { get; set; }

    public bool Enabled { get; set; } = true;

    public required DateTimeOffset CreatedAt { get; set; }
}

public enum AlertSendOutcome
{
    Sent,
    Failed,
}

/// <summary>
/// One alert message sent (or not) to one channel. The channel's name is copied, not referenced: the history outlives
/// a deleted channel. Never holds a secret.
/// </summary>
public sealed class AlertHistoryRecord
{
    public long Id { get; set; }

    public required DateTimeOffset At { get; set; }

    public int ChannelId { get; set; }

    public required string ChannelName { get; set; }

    /// <summary>What the message was about: test, endpoint or deploy.</summary>
    public required string Event { get; set; }

    public required string Subject { get; set; }

    public AlertSendOutcome Outcome { get; set; }

    /// <summary>Why the channel did not take the message; null when it did.</summary>
    public string? Error { get; set; }
}
