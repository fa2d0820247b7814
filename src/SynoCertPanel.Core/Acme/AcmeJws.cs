using System.Text;
using System.Text.Json;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// A request body as RFC 8555 §6.2 allows it: a flattened JWS JSON object with one signature, a protected header
/// naming an allowed <c>alg</c>, exactly one of <c>jwk</c> and <c>kid</c>, the <c>nonce</c> and the request's
/// <c>url</c>, and no unprotected header. Parsing checks the form; <see cref="VerifyWith"/> checks the signature once
/// the account key is known.
/// </summary>
public sealed class AcmeJws
{
    /// <summary>The largest body accepted: a finalize with an 8192-bit RSA key's CSR is about 3 KiB.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Asymmetric algorithms accepted for account keys; never <c>none</c>, never HMAC (RFC 8555 §6.2).</summary>
    public static readonly IReadOnlySet<string> AllowedAlgorithms =
        new HashSet<string>(StringComparer.Ordinal) { "ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512" };

    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    private AcmeJws(string alg, AcmeJwk? jwk, string? kid, string? nonce, string url, byte[] payload, byte[] signingInput, byte[] signature)
    {
        Algorithm = alg;
        Jwk = jwk;
        KeyId = kid;
        Nonce = nonce;
        Url = url;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    public string Algorithm { get; }

    /// <summary>The key in the header (newAccount, revocation by the certificate's key), else null.</summary>
    public AcmeJwk? Jwk { get; }

    /// <summary>The account URL in the header (every other request), else null.</summary>
    public string? KeyId { get; }

    /// <summary>The nonce; null only where a nonce is not used (the inner JWS of external account binding).</summary>
    public string? Nonce { get; }

    public string Url { get; }

    /// <summary>The decoded payload; empty for POST-as-GET.</summary>
    public byte[] Payload { get; }

    public bool IsPostAsGet => Payload.Length == 0;

    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    /// <summary>Parses an outer request JWS, which must carry a nonce.</summary>
    public static AcmeOutcome<AcmeJws> Parse(ReadOnlySpan<byte> body) => Parse(body, requireNonce: true, AllowedAlgorithms);

    /// <summary>Parses a JWS from a JSON element (the EAB inner JWS), with the algorithms given.</summary>
    internal static AcmeOutcome<AcmeJws> Parse(JsonElement element, bool requireNonce, IReadOnlySet<string> algorithms) =>
        element.ValueKind == JsonValueKind.Object
            ? Read(element, requireNonce, algorithms)
            : AcmeProblem.Malformed("The JWS must be a JSON object with \"protected\", \"payload\" and \"signature\".");

    private static AcmeOutcome<AcmeJws> Parse(ReadOnlySpan<byte> body, bool requireNonce, IReadOnlySet<string> algorithms)
    {
        if (body.Length > MaxBodyBytes)
        {
            return AcmeProblem.TooLarge($"The request body is {body.Length} bytes; an ACME request is at most {MaxBodyBytes} bytes.");
        }

        if (body.IsEmpty)
        {
            return AcmeProblem.Malformed("The request body is empty. Send a flattened JWS (RFC 8555 §6.2).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), Strict);
        }
        catch (JsonException)
        {
            return AcmeProblem.Malformed("The request body is not a JSON object. Send a flattened JWS (RFC 8555 §6.2).");
        }

        using (document)
        {
            return Parse(document.RootElement, requireNonce, algorithms);
        }
    }

    private static AcmeOutcome<AcmeJws> Read(JsonElement jws, bool requireNonce, IReadOnlySet<string> algorithms)
    {
        if (jws.TryGetProperty("signatures", out _))
        {
            return AcmeProblem.Malformed("The JWS uses the general serialization; RFC 8555 §6.2 allows only the flattened one with a single signature.");
        }

        if (jws.TryGetProperty("header", out _))
        {
            return AcmeProblem.Malformed("The JWS has an unprotected header, which RFC 8555 §6.2 forbids. Put everything in \"protected\".");
        }

        foreach (var member in jws.EnumerateObject())
        {
            if (member.Name is not ("protected" or "payload" or "signature"))
            {
                return AcmeProblem.Malformed($"The JWS has an unknown member \"{Shorten(member.Name)}\". Send only \"protected\", \"payload\" and \"signature\".");
            }
        }

        var protectedText = StringMember(jws, "protected");
        var payloadText = StringMember(jws, "payload");
        var signatureText = StringMember(jws, "signature");
        if (protectedText is null || payloadText is null || signatureText is null)
        {
            return AcmeProblem.Malformed("The JWS needs \"protected\", \"payload\" and \"signature\", each a base64url string (the payload empty for POST-as-GET).");
        }

        if (!AcmeBase64.TryDecode(protectedText, out var headerBytes) || !AcmeBase64.TryDecode(payloadText, out var payload)
            || !AcmeBase64.TryDecode(signatureText, out var signature))
        {
            return AcmeProblem.Malformed("A JWS part is not base64url without padding (RFC 7515 §2).");
        }

        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(headerBytes, Strict);
        }
        catch (JsonException)
        {
            return AcmeProblem.Malformed("The JWS protected header is not a JSON object.");
        }

        using (header)
        {
            var outcome = ReadHeader(header.RootElement, requireNonce, algorithms);
            if (!outcome.IsSuccess)
            {
                return outcome.Problem!;
            }

            var (alg, jwk, kid, nonce, url) = outcome.Value;
            var signingInput = Encoding.ASCII.GetBytes(protectedText + "." + payloadText);
            return new AcmeJws(alg, jwk, kid, nonce, url, payload, signingInput, signature);
        }
    }

    private static AcmeOutcome<(string Alg, AcmeJwk? Jwk, string? Kid, string? Nonce, string Url)> ReadHeader(
        JsonElement header, bool requireNonce, IReadOnlySet<string> algorithms)
    {
        if (header.ValueKind != JsonValueKind.Object)
        {
            return AcmeProblem.Malformed("The JWS protected header is not a JSON object.");
        }

        if (header.TryGetProperty("crit", out _) || header.TryGetProperty("b64", out _))
        {
            return AcmeProblem.Malformed("The JWS protected header asks for extensions (\"crit\"/\"b64\") that ACME does not use.");
        }

        var alg = StringMember(header, "alg");
        if (alg is null)
        {
            return AcmeProblem.Malformed("The JWS protected header has no \"alg\".");
        }

        if (!algorithms.Contains(alg))
        {
            return AcmeProblem.BadSignatureAlgorithm(
                $"Algorithm \"{Shorten(alg)}\" is not accepted here. Use one of {string.Join(", ", algorithms.Order(StringComparer.Ordinal))}.");
        }

        var hasJwk = header.TryGetProperty("jwk", out var jwkElement);
        var kid = StringMember(header, "kid");
        var hasKid = header.TryGetProperty("kid", out _);
        if (hasJwk == hasKid)
        {
            return AcmeProblem.Malformed("The JWS protected header must hold exactly one of \"jwk\" and \"kid\" (RFC 8555 §6.2).");
        }

        if (hasKid && string.IsNullOrEmpty(kid))
        {
            return AcmeProblem.Malformed("The \"kid\" must be the account URL as a string.");
        }

        AcmeJwk? jwk = null;
        if (hasJwk)
        {
            var parsed = AcmeJwk.Parse(jwkElement);
            if (!parsed.IsSuccess)
            {
                return parsed.Problem!;
            }

            jwk = parsed.Value;
            if (!jwk.Accepts(alg))
            {
                return AcmeProblem.BadSignatureAlgorithm($"Algorithm {alg} does not go with a {jwk.KeyType} key{(jwk.Curve is null ? "" : " on " + jwk.Curve)}.");
            }
        }

        var nonce = StringMember(header, "nonce");
        if (requireNonce && string.IsNullOrEmpty(nonce))
        {
            return AcmeProblem.BadNonce("The JWS protected header has no \"nonce\". Get one from newNonce and send it once.");
        }

        var url = StringMember(header, "url");
        if (string.IsNullOrEmpty(url))
        {
            return AcmeProblem.Malformed("The JWS protected header has no \"url\" (RFC 8555 §6.4).");
        }

        return (alg, jwk, kid, nonce, url);
    }

    /// <summary>Whether the signature was made by <paramref name="key"/> with the header's algorithm.</summary>
    public bool VerifyWith(AcmeJwk key) => key.Verify(Algorithm, SigningInput, Signature);

    /// <summary>The payload as JSON, for requests that carry one; a problem when it is not a JSON object.</summary>
    public AcmeOutcome<JsonDocument> ReadPayload()
    {
        if (Payload.Length == 0)
        {
            return AcmeProblem.Malformed("This request needs a JSON payload; an empty one is only for POST-as-GET.");
        }

        try
        {
            var document = JsonDocument.Parse(Payload, Strict);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
        }

        return AcmeProblem.Malformed("The JWS payload is not a JSON object.");
    }

    private static string? StringMember(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
