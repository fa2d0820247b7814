using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// Writes flattened JWS bodies as an ACME client does (RFC 8555 §6.2): ES256/384/512 with the raw r‖s signature,
/// RS/PS with PKCS#1 v1.5 or PSS, HS for external account binding. The panel's own checks read what this writes.
/// </summary>
public static class AcmeJwsWriter
{
    public static JsonObject Sign(AsymmetricAlgorithm key, string alg, JsonObject header, string payload)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(alg);
        ArgumentNullException.ThrowIfNull(header);
        var (protectedPart, payloadPart, input) = Parts(header, payload);
        var hash = alg[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        var signature = key switch
        {
            ECDsa ec => ec.SignData(input, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            RSA rsa => rsa.SignData(input, hash, alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("ACME account keys are EC or RSA.", nameof(key)),
        };
        return new JsonObject { ["protected"] = protectedPart, ["payload"] = payloadPart, ["signature"] = AcmeBase64.Encode(signature) };
    }

    public static JsonObject Mac(byte[] macKey, string alg, JsonObject header, string payload)
    {
        ArgumentNullException.ThrowIfNull(macKey);
        ArgumentNullException.ThrowIfNull(header);
        var (protectedPart, payloadPart, input) = Parts(header, payload);
        var mac = alg switch
        {
            "HS256" => HMACSHA256.HashData(macKey, input),
            "HS384" => HMACSHA384.HashData(macKey, input),
            "HS512" => HMACSHA512.HashData(macKey, input),
            _ => throw new ArgumentException("External account binding uses HS256, HS384 or HS512.", nameof(alg)),
        };
        return new JsonObject { ["protected"] = protectedPart, ["payload"] = payloadPart, ["signature"] = AcmeBase64.Encode(mac) };
    }

    private static (string Protected, string Payload, byte[] Input) Parts(JsonObject header, string payload)
    {
        var protectedPart = AcmeBase64.Encode(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var payloadPart = payload.Length == 0 ? "" : AcmeBase64.Encode(Encoding.UTF8.GetBytes(payload));
        return (protectedPart, payloadPart, Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart));
    }
}
