namespace SynoCertPanel.Web.Cli;

/// <summary>What `cert list` was asked for, checked the same way for a data directory here and a remote panel.</summary>
internal sealed record CertListArguments(string? Search, bool IncludeReplaced, int Offset, int? Limit)
{
    public string? Problem() =>
        Offset < 0 ? "--offset must be 0 or more." : Limit < 1 ? "--limit must be 1 or more (leave it out to list all)." : null;
}

/// <summary>What `cert create` was asked for, as typed; a remote panel checks the names and key by the same rules as here.</summary>
internal sealed record CertCreateArguments(string CommonName, IReadOnlyList<string> Names, string? Key, int? Days, string? Description, int? AuthorityId,
    bool SetDefault)
{
    /// <summary>`cert create`'s key when --key is not given (the wizard's differs).</summary>
    public const string DefaultKey = "rsa2048";

    public string? EmptyName => Names.Contains(string.Empty) ? CliOptions.EmptyName : null;
}
