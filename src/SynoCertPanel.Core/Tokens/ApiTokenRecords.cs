namespace SynoCertPanel.Core.Tokens;

/// <summary>What the person asks for: a name, the scopes, and an expiry in days (null: never).</summary>
public sealed record ApiTokenRequest
{
    public string? Name { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public int? ExpiresInDays { get; init; }
}

public enum ApiTokenState
{
    Active,
    Expired,
    Revoked,
}

/// <summary>A token as lists show it; never its secret, which is not kept.</summary>
public sealed record ApiTokenSummary(int Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    public ApiTokenState StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? ApiTokenState.Revoked : ExpiresAt <= now ? ApiTokenState.Expired : ApiTokenState.Active;
}

/// <summary>A new token and its text, which exists only here: show it once, then let it go.</summary>
public sealed record CreatedApiToken(ApiTokenSummary Token, string Secret);

/// <summary>Who a valid token speaks for: its id (the rate limiter's partition), its name (the audit's actor) and its scopes.</summary>
public sealed record ApiTokenIdentity(int Id, string Name, IReadOnlyList<string> Scopes);

/// <summary>Why a bearer token was refused; each has its own sentence in <see cref="ApiTokenCheck"/>.</summary>
public enum ApiTokenRefusal
{
    Malformed,
    Unknown,
    Expired,
    Revoked,
}
