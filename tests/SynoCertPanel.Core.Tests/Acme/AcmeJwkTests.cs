using System.Security.Cryptography;
using System.Text.Json;
using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Core.Tests.Acme;

public sealed class AcmeJwkTests
{
    // RFC 7638 §3.1's worked example.
    private const string RfcModulus =
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

    [Fact]
    public void Thumbprint_Rfc7638Example_MatchesTheRfc()
    {
        var jwk = Parse($$"""{"kty":"RSA","n":"{{RfcModulus}}","e":"AQAB","alg":"RS256","kid":"2011-04-29"}""");

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", jwk.Thumbprint);
        Assert.Equal($$"""{"e":"AQAB","kty":"RSA","n":"{{RfcModulus}}"}""", jwk.CanonicalJson);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(384)]
    [InlineData(521)]
    public void Thumbprint_EcKey_HashesTheRequiredMembersInOrder(int bits)
    {
        using var key = ECDsa.Create(bits switch
        {
            256 => ECCurve.NamedCurves.nistP256,
            384 => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        });
        var p = key.ExportParameters(false);
        var jwk = Parse($$"""{"y":"{{AcmeBase64.Encode(p.Q.Y)}}","x":"{{AcmeBase64.Encode(p.Q.X)}}","kty":"EC","crv":"P-{{bits}}","use":"sig"}""");

        var canonical = $$"""{"crv":"P-{{bits}}","kty":"EC","x":"{{AcmeBase64.Encode(p.Q.X)}}","y":"{{AcmeBase64.Encode(p.Q.Y)}}"}""";
        Assert.Equal(canonical, jwk.CanonicalJson);
        Assert.Equal(AcmeBase64.Encode(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))), jwk.Thumbprint);
        Assert.True(jwk.Matches(key));
    }

    [Fact]
    public void Matches_AnotherKey_IsFalse()
    {
        using var mine = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);

        var jwk = AcmeJwk.FromKey(mine);

        Assert.False(jwk.Matches(other));
        Assert.False(jwk.Matches(rsa));
        Assert.True(AcmeJwk.FromKey(rsa).Matches(rsa));
    }

    [Fact]
    public void Matches_SubjectPublicKeyInfo_OnlyTheSameKeyAndNeverGarbage()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherEc = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);

        Assert.True(AcmeJwk.FromKey(ec).Matches(ec.ExportSubjectPublicKeyInfo()));
        Assert.True(AcmeJwk.FromKey(rsa).Matches(rsa.ExportSubjectPublicKeyInfo()));
        Assert.False(AcmeJwk.FromKey(ec).Matches(otherEc.ExportSubjectPublicKeyInfo()));
        Assert.False(AcmeJwk.FromKey(ec).Matches(rsa.ExportSubjectPublicKeyInfo()));
        Assert.False(AcmeJwk.FromKey(rsa).Matches(ec.ExportSubjectPublicKeyInfo()));
        Assert.False(AcmeJwk.FromKey(ec).Matches([0x30, 0x03, 0x01, 0x02]));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { """{"kty":"oct","k":"c2VjcmV0"}""", "Key type \"oct\"" },
        { """{"n":"AQAB","e":"AQAB"}""", "no \"kty\"" },
        { """{"kty":"EC","crv":"P-192","x":"AA","y":"AA"}""", "P-192" },
        { """{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}""", "secp256k1" },
        { """{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}""", "32 bytes" },
        { """{"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", "not on P-256" },
        { """{"kty":"EC","crv":"P-256","x":"a+b/","y":"AA=="}""", "base64url" },
        { """{"kty":"RSA","n":"AQAB","e":"AQAB"}""", "bits" },
        { """{"kty":"RSA","e":"AQAB"}""", "\"n\" and \"e\"" },
        { """{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB"}""", "private key" },
        { """{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}""", "private key" },
        { "[1,2,3]", "JSON object" },
        { "\"RSA\"", "JSON object" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Parse_UnusableKey_IsRefusedWithASentence(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        var outcome = AcmeJwk.Parse(document.RootElement);

        Assert.False(outcome.IsSuccess);
        Assert.Contains(expected, outcome.Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RsaModulusWithLeadingZero_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        var padded = AcmeBase64.Encode([0, .. p.Modulus!]);

        using var document = JsonDocument.Parse($$"""{"kty":"RSA","n":"{{padded}}","e":"AQAB"}""");
        var outcome = AcmeJwk.Parse(document.RootElement);

        Assert.Contains("zero octet", outcome.Problem!.Detail, StringComparison.Ordinal);
        Assert.Equal("urn:ietf:params:acme:error:badPublicKey", outcome.Problem.Type);
    }

    [Theory]
    [InlineData("Ag")]
    [InlineData("AQ")]
    [InlineData("AQAAAAAB")]
    public void Parse_RsaExponentEvenTooSmallOrTooLong_IsRefused(string exponent)
    {
        using var rsa = RSA.Create(2048);
        var n = AcmeBase64.Encode(rsa.ExportParameters(false).Modulus!);

        using var document = JsonDocument.Parse($$"""{"kty":"RSA","n":"{{n}}","e":"{{exponent}}"}""");

        Assert.Contains("exponent", AcmeJwk.Parse(document.RootElement).Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Rsa1024_IsRefusedNamingTheSize()
    {
        using var rsa = RSA.Create(1024);

        var jwk = rsa.ExportParameters(false);
        using var document = JsonDocument.Parse($$"""{"kty":"RSA","n":"{{AcmeBase64.Encode(jwk.Modulus)}}","e":"AQAB"}""");

        Assert.Contains("1024 bits", AcmeJwk.Parse(document.RootElement).Problem!.Detail, StringComparison.Ordinal);
    }

    private static AcmeJwk Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var outcome = AcmeJwk.Parse(document.RootElement);
        Assert.True(outcome.IsSuccess, outcome.Problem?.ToString());
        return outcome.Value;
    }
}
