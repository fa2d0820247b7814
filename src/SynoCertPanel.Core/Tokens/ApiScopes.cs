using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Tokens;

/// <summary>What a token may do. The names are part of the API's contract: scripts and policies name them.</summary>
public static class ApiScopes
{
    public const string CertificatesRead = "certificates:read";
    public const string CertificatesWrite = "certificates:write";

    /// <summary>Apart from certificates:read so a token that lists and fetches certificates can never carry a key away.</summary>
    public const string KeysExport = "keys:export";
    public const string BoxesDeploy = "boxes:deploy";
    public const string AcmeAdmin = "acme:admin";
    public const string AuditRead = "audit:read";

    /// <summary>Reads /metrics only: a dashboard's token that can list no certificate and change nothing.</summary>
    public const string MetricsRead = "metrics:read";

    public static IReadOnlyList<string> All { get; } = [CertificatesRead, CertificatesWrite, KeysExport, BoxesDeploy, AcmeAdmin, AuditRead, MetricsRead];

    /// <summary>
    /// The distinct scopes of <paramref name="values"/> (each may hold several, split at spaces or commas), in
    /// <see cref="All"/>'s order; an unknown name or none at all is refused with the names that exist.
    /// </summary>
    public static Result<IReadOnlyList<string>> Parse(IEnumerable<string?>? values)
    {
        var given = (values ?? []).SelectMany(v => (v ?? string.Empty).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        var unknown = given.FirstOrDefault(s => !All.Contains(s, StringComparer.Ordinal));
        if (unknown is not null)
        {
            return Result.Failure<IReadOnlyList<string>>(
                $"There is no scope named {Pki.Display.Literal(unknown, 40)}; the scopes are {string.Join(", ", All)}.");
        }

        return given.Count == 0
            ? Result.Failure<IReadOnlyList<string>>($"Give the token at least one scope: {string.Join(", ", All)}.")
            : Result.Success<IReadOnlyList<string>>(All.Where(given.Contains).ToList());
    }
}
