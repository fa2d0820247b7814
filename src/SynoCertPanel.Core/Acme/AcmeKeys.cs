using System.Text.Json;

namespace SynoCertPanel.Core.Acme;

/// <summary>Reads back an account key stored as canonical JWK JSON.</summary>
internal static class AcmeKeys
{
    public static AcmeJwk Read(string canonicalJson)
    {
        using var document = JsonDocument.Parse(canonicalJson);
        var parsed = AcmeJwk.Parse(document.RootElement);
        return parsed.IsSuccess ? parsed.Value : throw new InvalidOperationException("A stored ACME account key no longer parses: " + parsed.Problem);
    }
}
