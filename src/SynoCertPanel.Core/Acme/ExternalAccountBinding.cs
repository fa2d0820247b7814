using System.Security.Cryptography;
using System.Text.Json;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// The <c>externalAccountBinding</c> of a newAccount request (RFC 8555 §7.3.4): a JWS MACed with a key the operator
/// created on the panel, whose payload is the new account's own public key, so an EAB key id and its secret are what
/// let a client open an account.
/// </summary>
public static class ExternalAccountBinding
{
    public static readonly IReadOnlySet<string> Algorithms = new HashSet<string>(StringComparer.Ordinal) { "HS256", "HS384", "HS512" };

    /// <summary>
    /// Checks <paramref name="binding"/> against the outer request: MAC by the key that <paramref name="findKey"/> gives
    /// for its key id, the same <c>url</c>, no nonce, and the account's key as payload. Returns the key id it used.
    /// </summary>
    public static AcmeOutcome<string> Verify(JsonElement binding, AcmeJws outer, Func<string, byte[]?> findKey)
    {
        var parsed = AcmeJws.Parse(binding, requireNonce: false, Algorithms);
        if (!parsed.IsSuccess)
        {
            return parsed.Problem! with { Detail = "External account binding: " + parsed.Problem!.Detail };
        }

        var inner = parsed.Value;
        if (inner.KeyId is null)
        {
            return AcmeProblem.Malformed("External account binding: the header must name the EAB key id in \"kid\", not carry a \"jwk\".");
        }

        if (inner.Nonce is not null)
        {
            return AcmeProblem.Malformed("External account binding: the inner JWS must not carry a nonce (RFC 8555 §7.3.4).");
        }

        if (!string.Equals(inner.Url, outer.Url, StringComparison.Ordinal))
        {
            return AcmeProblem.Malformed("External account binding: its \"url\" must be the newAccount URL of the request.");
        }

        if (outer.Jwk is null)
        {
            return AcmeProblem.Malformed("External account binding needs the new account's key in the request's \"jwk\".");
        }

        AcmeJwk bound;
        try
        {
            using var payload = JsonDocument.Parse(inner.Payload);
            var jwk = AcmeJwk.Parse(payload.RootElement);
            if (!jwk.IsSuccess)
            {
                return AcmeProblem.Malformed("External account binding: its payload must be the account's public key (JWK).");
            }

            bound = jwk.Value;
        }
        catch (JsonException)
        {
            return AcmeProblem.Malformed("External account binding: its payload must be the account's public key (JWK).");
        }

        if (bound.Thumbprint != outer.Jwk.Thumbprint)
        {
            return AcmeProblem.Unauthorized("External account binding: it binds a different key than the one the account is made with.");
        }

        var key = findKey(inner.KeyId);
        if (key is null || !MacMatches(inner, key))
        {
            // One sentence for both: whether a key id exists is not told to someone without its secret.
            return AcmeProblem.Unauthorized("External account binding: the EAB key id or its HMAC key is wrong, or the key was revoked. Create a new EAB key on the panel's ACME page.");
        }

        return inner.KeyId;
    }

    private static bool MacMatches(AcmeJws inner, byte[] key)
    {
        var mac = inner.Algorithm switch
        {
            "HS256" => HMACSHA256.HashData(key, inner.SigningInput),
            "HS384" => HMACSHA384.HashData(key, inner.SigningInput),
            _ => HMACSHA512.HashData(key, inner.SigningInput),
        };
        return CryptographicOperations.FixedTimeEquals(mac, inner.Signature);
    }
}
