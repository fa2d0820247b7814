namespace SynoCertPanel.Core.Acme;

/// <summary>What a validator needs: the identifier, the token, the key authorization it must find, and where to look.</summary>
/// <param name="IdentifierType"><c>dns</c> or <c>ip</c>.</param>
/// <param name="Identifier">The name (without "*.") or the address.</param>
/// <param name="Token">The challenge's token.</param>
/// <param name="KeyAuthorization">token.thumbprint (RFC 8555 §8.1).</param>
/// <param name="Port">The port http-01 or tls-alpn-01 connects to.</param>
public sealed record ChallengeAttempt(string IdentifierType, string Identifier, string Token, string KeyAuthorization, int Port);

/// <summary>One challenge type's check, from the panel to the box (http-01, tls-alpn-01, dns-01).</summary>
public interface IChallengeValidator
{
    string Type { get; }

    /// <summary>Null when the box proved control; otherwise the problem to record, with a sentence the operator can act on.</summary>
    Task<AcmeProblem?> ValidateAsync(ChallengeAttempt attempt, CancellationToken cancellationToken);
}
