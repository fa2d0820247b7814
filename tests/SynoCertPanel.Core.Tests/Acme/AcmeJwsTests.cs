using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Core.Tests.Acme;

public sealed class AcmeJwsTests
{
    private const string Payload = """{"identifiers":[{"type":"dns","value":"nas.lab.internal"}]}""";

    public static TheoryData<string> Algorithms => ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Parse_SignedWithAllowedAlgorithm_VerifiesAndTamperingDoesNot(string alg)
    {
        using AsymmetricAlgorithm key = alg switch
        {
            "ES256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            "ES384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            "ES512" => ECDsa.Create(ECCurve.NamedCurves.nistP521),
            _ => RSA.Create(2048),
        };
        var jws = JwsSigner.Sign(key, alg, JwsSigner.Header(alg, jwkKey: key), Payload);

        var parsed = JwsSigner.Parsed(jws);

        Assert.Equal(alg, parsed.Algorithm);
        Assert.Equal("nonce-1", parsed.Nonce);
        Assert.Equal("https://panel.test/acme/1/new-order", parsed.Url);
        Assert.Equal(Payload, Encoding.UTF8.GetString(parsed.Payload));
        Assert.True(parsed.VerifyWith(parsed.Jwk!));

        jws["payload"] = JwsSigner.B64(Payload.Replace("nas", "evil", StringComparison.Ordinal));
        Assert.False(JwsSigner.Parsed(jws).VerifyWith(parsed.Jwk!));
    }

    [Fact]
    public void VerifyWith_AnotherAccountsKey_IsFalse()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jws = JwsSigner.Sign(key, "ES256", JwsSigner.Header("ES256", kid: "https://panel.test/acme/1/account/7"), Payload);

        var parsed = JwsSigner.Parsed(jws);

        Assert.Null(parsed.Jwk);
        Assert.Equal("https://panel.test/acme/1/account/7", parsed.KeyId);
        Assert.False(parsed.VerifyWith(AcmeJwk.FromKey(other)));
        Assert.True(parsed.VerifyWith(AcmeJwk.FromKey(key)));
    }

    [Fact]
    public void Parse_EmptyPayload_IsPostAsGet()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var parsed = JwsSigner.Parsed(JwsSigner.Sign(key, "ES256", JwsSigner.Header("ES256", kid: "https://panel.test/acme/1/account/7"), ""));

        Assert.True(parsed.IsPostAsGet);
        Assert.True(parsed.VerifyWith(AcmeJwk.FromKey(key)));
        Assert.Contains("POST-as-GET", parsed.ReadPayload().Problem!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("EdDSA")]
    [InlineData("RS1")]
    [InlineData("es256")]
    public void Parse_AlgorithmOutsideTheAllowList_IsBadSignatureAlgorithm(string alg)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jws = JwsSigner.Sign(key, "ES256", JwsSigner.Header("ES256", jwkKey: key), Payload);
        jws["protected"] = JwsSigner.B64(JwsSigner.Header(alg, jwkKey: key).ToJsonString());
        if (alg == "none")
        {
            jws["signature"] = "";
        }

        var problem = JwsSigner.Refused(jws);

        Assert.Equal("urn:ietf:params:acme:error:badSignatureAlgorithm", problem.Type);
        Assert.Contains("ES256", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AlgorithmNotMatchingTheKey_IsBadSignatureAlgorithm()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var problem = JwsSigner.Refused(JwsSigner.Sign(key, "ES256", JwsSigner.Header("ES384", jwkKey: key), Payload));

        Assert.Equal("urn:ietf:params:acme:error:badSignatureAlgorithm", problem.Type);
        Assert.Contains("P-256", problem.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> HeaderRefusals => new()
    {
        { """{"alg":"ES256","nonce":"n","url":"u"}""", "malformed", "exactly one of" },
        { """{"alg":"ES256","kid":"k","jwk":{"kty":"EC"},"nonce":"n","url":"u"}""", "malformed", "exactly one of" },
        { """{"alg":"ES256","kid":"","nonce":"n","url":"u"}""", "malformed", "account URL" },
        { """{"alg":"ES256","kid":42,"nonce":"n","url":"u"}""", "malformed", "account URL" },
        { """{"alg":"ES256","kid":"k","url":"u"}""", "badNonce", "newNonce" },
        { """{"alg":"ES256","kid":"k","nonce":"","url":"u"}""", "badNonce", "newNonce" },
        { """{"alg":"ES256","kid":"k","nonce":"n"}""", "malformed", "\"url\"" },
        { """{"kid":"k","nonce":"n","url":"u"}""", "malformed", "no \"alg\"" },
        { """{"alg":"ES256","kid":"k","nonce":"n","url":"u","crit":["b64"],"b64":false}""", "malformed", "extensions" },
        { """{"alg":"ES256","alg":"none","kid":"k","nonce":"n","url":"u"}""", "malformed", "protected header is not a JSON object" },
        { """["alg"]""", "malformed", "not a JSON object" },
        { """{"alg":"ES256",""", "malformed", "not a JSON object" },
    };

    [Theory]
    [MemberData(nameof(HeaderRefusals))]
    public void Parse_BadProtectedHeader_IsRefusedWithTheRfcType(string header, string type, string expected)
    {
        var jws = new JsonObject { ["protected"] = JwsSigner.B64(header), ["payload"] = JwsSigner.B64(Payload), ["signature"] = "AAAA" };

        var problem = JwsSigner.Refused(jws);

        Assert.Equal("urn:ietf:params:acme:error:" + type, problem.Type);
        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BodyRefusals => new()
    {
        { "", "empty" },
        { "garbage", "not a JSON object" },
        { "{\"protected\":", "not a JSON object" },
        { "[]", "JSON object" },
        { "null", "JSON object" },
        { """{"protected":"eyJ9","payload":"","signature":""}""", "protected header is not a JSON object" },
        { """{"payload":"","signature":""}""", "need" },
        { """{"protected":1,"payload":"","signature":""}""", "need" },
        { """{"signatures":[{"protected":"e30","signature":""}],"payload":""}""", "general serialization" },
        { """{"protected":"e30","header":{"alg":"none"},"payload":"","signature":""}""", "unprotected header" },
        { """{"protected":"e30","payload":"","signature":"","extra":1}""", "unknown member" },
        { """{"protected":"e30=","payload":"","signature":""}""", "base64url" },
        { """{"protected":"e3 0","payload":"","signature":""}""", "base64url" },
        { """{"protected":"e30","payload":"a+b/","signature":""}""", "base64url" },
        { """{"protected":"e30","payload":"","signature":"A"}""", "base64url" },
        { """{"protected":"e30","protected":"e30","payload":"","signature":""}""", "not a JSON object" },
    };

    [Theory]
    [MemberData(nameof(BodyRefusals))]
    public void Parse_GarbageOrMisshapenBody_IsMalformed(string body, string expected)
    {
        var problem = JwsSigner.Refused(Encoding.UTF8.GetBytes(body));

        Assert.Equal("urn:ietf:params:acme:error:malformed", problem.Type);
        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TenMegabyteBody_IsRefusedAs413WithoutParsing()
    {
        var body = new byte[10 * 1024 * 1024];
        body.AsSpan().Fill((byte)'[');

        var problem = JwsSigner.Refused(body);

        Assert.Equal(413, problem.Status);
        Assert.Contains("at most", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeeplyNestedJson_IsMalformedNotACrash()
    {
        var body = Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000));

        Assert.Equal("urn:ietf:params:acme:error:malformed", JwsSigner.Refused(body).Type);
    }

    [Fact]
    public void Parse_TruncatedSignedBody_IsMalformed()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = JwsSigner.Body(JwsSigner.Sign(key, "ES256", JwsSigner.Header("ES256", jwkKey: key), Payload));

        for (var length = 0; length < body.Length; length += 17)
        {
            Assert.False(AcmeJws.Parse(body.AsSpan(0, length)).IsSuccess, $"accepted the first {length} bytes");
        }
    }

    [Fact]
    public void ReadPayload_NotAnObject_IsMalformed()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        foreach (var payload in new[] { "[1]", "\"x\"", "{", "not json" })
        {
            var parsed = JwsSigner.Parsed(JwsSigner.Sign(key, "ES256", JwsSigner.Header("ES256", kid: "k"), payload));
            Assert.Contains("not a JSON object", parsed.ReadPayload().Problem!.Detail, StringComparison.Ordinal);
        }
    }
}
