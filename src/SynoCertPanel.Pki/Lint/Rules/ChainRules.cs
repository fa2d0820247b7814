namespace SynoCertPanel.Pki.Lint.Rules;

/// <summary>How the certificates hang together: each is signed by the next, and the path ends in a root.</summary>
internal static class ChainRules
{
    public static IReadOnlyList<LintRule> All { get; } =
    [
        // RFC 5280 §6.1.3 (a)(1): each certificate's signature must verify with the next one's key.
        new("e_chain_signature_invalid", LintSeverity.Error, TlsClients.All, "RFC 5280 §6.1.3", RuleScope.Any,
            s => s.Issuer is { } issuer && !s.Certificate.IsSignedBy(issuer)
                ? $"{s.Name} is not signed by the next certificate in the chain (\"{Display.Literal(issuer.SubjectText)}\"); the chain is in the wrong order or mixed up."
                : null),

        // A chain that stops below a root works only where the client already holds the root (RFC 5280 §6.1).
        new("w_chain_root_missing", LintSeverity.Warning, TlsClients.None, "RFC 5280 §6.1", RuleScope.Any,
            s => s.IsLast && !s.IsSelfSigned
                ? $"{s.Name} ends the chain but is not a self-signed root; clients must already have the root that issued it installed."
                : null),
    ];
}
