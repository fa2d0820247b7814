namespace SynoCertPanel.Pki.Lint;

/// <summary>What the lint may know beyond the certificates: the name the admin will type, and the time now.</summary>
public sealed record LintOptions
{
    /// <summary>A host name or IP address the certificate must cover; null skips that check.</summary>
    public string? Host { get; init; }

    /// <summary>The current time, for the expiry checks; null skips them (the engine has no clock of its own).</summary>
    public DateTimeOffset? Now { get; init; }
}
