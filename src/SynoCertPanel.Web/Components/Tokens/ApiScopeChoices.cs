using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Components.Tokens;

/// <summary>A scope as the create dialog offers it: what it lets a script do, in one line, and whether it lets secrets out.</summary>
public sealed record ApiScopeChoice(string Scope, string Explanation, bool Sensitive);

public static class ApiScopeChoices
{
    /// <summary>In <see cref="ApiScopes.All"/>'s order; a test keeps the two lists the same.</summary>
    public static IReadOnlyList<ApiScopeChoice> All { get; } =
    [
        new(ApiScopes.CertificatesRead, "List and read certificates and their public details; never a private key.", Sensitive: false),
        new(ApiScopes.CertificatesWrite, "Create, renew, import, set as default and delete certificates.", Sensitive: false),
        new(ApiScopes.KeysExport, "Download private keys with their certificates: whoever holds the token can pose as your servers.", Sensitive: true),
        new(ApiScopes.BoxesDeploy, "Deploy certificates to the boxes this panel manages.", Sensitive: false),
        new(ApiScopes.AcmeAdmin, "Change the ACME policy and accounts.", Sensitive: false),
        new(ApiScopes.AuditRead, "Read the audit log.", Sensitive: false),
        new(ApiScopes.MetricsRead, "Read /metrics (certificate expiry, request and handshake counters) for Prometheus.", Sensitive: false),
    ];
}
