using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Core.Tests.Acme;

/// <summary>Makes flattened JWS bodies the way an ACME client does, with room to get each part wrong on purpose.</summary>
internal static class JwsSigner
{
    public static string Jwk(AsymmetricAlgorithm key) => AcmeJwk.FromKey(key).CanonicalJson;

    public static JsonObject Header(string alg, AsymmetricAlgorithm? jwkKey = null, string? kid = null, string? nonce = "nonce-1",
        string? url = "https://panel.test/acme/1/new-order")
    {
        var header = new JsonObject { ["alg"] = alg };
        if (jwkKey is not null)
        {
            header["jwk"] = JsonNode.Parse(Jwk(jwkKey));
        }

        if (kid is not null)
        {
            header["kid"] = kid;
        }

        if (nonce is not null)
        {
            header["nonce"] = nonce;
        }

        if (url is not null)
        {
            header["url"] = url;
        }

        return header;
    }

    public static JsonObject Sign(AsymmetricAlgorithm key, string alg, JsonObject header, string payload) => AcmeJwsWriter.Sign(key, alg, header, payload);

    public static JsonObject Mac(byte[] macKey, string alg, JsonObject header, string payload) => AcmeJwsWriter.Mac(macKey, alg, header, payload);

    public static byte[] Body(JsonNode jws) => Encoding.UTF8.GetBytes(jws.ToJsonString());

    public static string B64(string text) => AcmeBase64.Encode(Encoding.UTF8.GetBytes(text));

    public static AcmeJws Parsed(JsonNode jws)
    {
        var outcome = AcmeJws.Parse(Body(jws));
        Assert.True(outcome.IsSuccess, outcome.Problem?.ToString());
        return outcome.Value;
    }

    public static AcmeProblem Refused(byte[] body)
    {
        var outcome = AcmeJws.Parse(body);
        Assert.False(outcome.IsSuccess, "the body was accepted");
        Assert.False(string.IsNullOrWhiteSpace(outcome.Problem!.Detail));
        return outcome.Problem!;
    }

    public static AcmeProblem Refused(JsonNode jws) => Refused(Body(jws));

    public static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement;
}
