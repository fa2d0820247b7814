namespace SynoCertPanel.Core.Storage;

/// <summary>
/// A CA held here served as an ACME directory (RFC 8555), with the policy set on its page. One per authority; a row
/// stays when the directory is turned off, so its accounts and EAB keys come back when it is turned on again.
/// </summary>
public sealed class AcmeDirectoryRecord
{
    public int Id { get; set; }

    public int AuthorityId { get; set; }

    public bool Enabled { get; set; }

    /// <summary>The lifetime of what it issues, in hours (1 hour to 397 days).</summary>
    public int LifetimeHours { get; set; }

    /// <summary>DNS suffixes it may issue for, one per line; empty means the CA's own name constraints decide.</summary>
    public string AllowedDns { get; set; } = string.Empty;

    /// <summary>Address ranges (CIDR) it may issue for, one per line; empty means the CA's own name constraints decide.</summary>
    public string AllowedIp { get; set; } = string.Empty;

    /// <summary>The challenge types it offers, space-separated (http-01 tls-alpn-01 dns-01).</summary>
    public required string Challenges { get; set; }

    /// <summary>The port http-01 validation connects to (80 unless the operator says otherwise).</summary>
    public int HttpPort { get; set; } = 80;

    /// <summary>The port tls-alpn-01 validation connects to (443 unless the operator says otherwise).</summary>
    public int TlsAlpnPort { get; set; } = 443;

    /// <summary>New accounts need an external account binding made on the panel.</summary>
    public bool RequireEab { get; set; } = true;

    /// <summary>Certificates it issues name the CA's CRL URL (off by default: an unreachable CDP breaks some clients).</summary>
    public bool PointToCrl { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// An external account binding key: its id is shown and typed into a client with its HMAC key; the HMAC key is sealed
/// with the key-encryption key (it must be read back to check the binding's MAC), shown once, and bound to the account
/// that used it.
/// </summary>
public sealed class AcmeEabKeyRecord
{
    public int Id { get; set; }

    public int DirectoryId { get; set; }

    public required string KeyId { get; set; }

    public string Label { get; set; } = string.Empty;

    public required byte[] SealedKey { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The account that used it; a key binds one account only.</summary>
    public int? AccountId { get; set; }
}

/// <summary>An ACME account: a client's public key (RFC 7638 thumbprint as its name) and its contacts.</summary>
public sealed class AcmeAccountRecord
{
    public int Id { get; set; }

    public int DirectoryId { get; set; }

    public required string Thumbprint { get; set; }

    /// <summary>The public key as canonical JWK JSON (RFC 7638 members only).</summary>
    public required string Jwk { get; set; }

    /// <summary>Contact URLs (mailto:…), one per line.</summary>
    public string Contact { get; set; } = string.Empty;

    /// <summary>valid, deactivated or revoked (RFC 8555 §7.1.6).</summary>
    public required string Status { get; set; }

    public int? EabKeyId { get; set; }

    /// <summary>The client's address when it opened the account, for the accounts list.</summary>
    public string CreatedFrom { get; set; } = string.Empty;

    public required DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastOrderAt { get; set; }
}

/// <summary>An order: the identifiers asked for, its state, and the certificate it ended with.</summary>
public sealed class AcmeOrderRecord
{
    public int Id { get; set; }

    public int AccountId { get; set; }

    public int DirectoryId { get; set; }

    /// <summary>pending, ready, processing, valid or invalid (RFC 8555 §7.1.6).</summary>
    public required string Status { get; set; }

    /// <summary>The identifiers as "type:value", one per line, in the order asked.</summary>
    public required string Identifiers { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Why it became invalid, as a problem document (JSON), for the client and the orders list.</summary>
    public string? Error { get; set; }

    public int? CertificateId { get; set; }

    /// <summary>The ARI certificate id of the certificate this order replaces (RFC 9773 "replaces"), if the client said.</summary>
    public string? Replaces { get; set; }

    public List<AcmeAuthorizationRecord> Authorizations { get; set; } = [];
}

/// <summary>An authorization for one identifier of an order, with its challenges.</summary>
public sealed class AcmeAuthorizationRecord
{
    public int Id { get; set; }

    public int OrderId { get; set; }

    /// <summary><c>dns</c> or <c>ip</c>.</summary>
    public required string Type { get; set; }

    /// <summary>The name (without the "*." of a wildcard) or the address.</summary>
    public required string Value { get; set; }

    public bool Wildcard { get; set; }

    /// <summary>pending, valid, invalid, deactivated, expired or revoked.</summary>
    public required string Status { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }

    public List<AcmeChallengeRecord> Challenges { get; set; } = [];
}

/// <summary>One way to prove control of an authorization's identifier, and how trying it went.</summary>
public sealed class AcmeChallengeRecord
{
    public int Id { get; set; }

    public int AuthorizationId { get; set; }

    /// <summary>http-01, tls-alpn-01 or dns-01.</summary>
    public required string Type { get; set; }

    /// <summary>The random token (base64url, 128 bits or more).</summary>
    public required string Token { get; set; }

    /// <summary>pending, processing, valid or invalid.</summary>
    public required string Status { get; set; }

    public DateTimeOffset? ValidatedAt { get; set; }

    /// <summary>Why validation failed, as a problem document (JSON).</summary>
    public string? Error { get; set; }
}

/// <summary>A certificate revoked by a CA held here: what its CRL lists.</summary>
public sealed class RevocationRecord
{
    public int Id { get; set; }

    public int AuthorityId { get; set; }

    public int? CertificateId { get; set; }

    public required string SerialNumber { get; set; }

    public required DateTimeOffset RevokedAt { get; set; }

    /// <summary>The RFC 5280 CRLReason code (0 unspecified, 1 keyCompromise, 4 superseded, 5 cessationOfOperation, …).</summary>
    public int Reason { get; set; }

    public required string Actor { get; set; }
}
