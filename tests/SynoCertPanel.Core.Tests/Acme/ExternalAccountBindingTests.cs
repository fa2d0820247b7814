using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Core.Tests.Acme;

public sealed class ExternalAccountBindingTests : IDisposable
{
    private const string NewAccountUrl = "https://panel.test/acme/1/new-account";
    private const string KeyId = "eab-kid-1";

    private readonly ECDsa _account = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _macKey = RandomNumberGenerator.GetBytes(32);

    public void Dispose() => _account.Dispose();

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public void Verify_BindingMadeWithTheKey_GivesTheKeyId(string alg)
    {
        var outcome = Verify(Binding(alg, _macKey, KeyId, NewAccountUrl, JwsSigner.Jwk(_account)));

        Assert.True(outcome.IsSuccess, outcome.Problem?.ToString());
        Assert.Equal(KeyId, outcome.Value);
    }

    [Fact]
    public void Verify_WrongMacKey_IsUnauthorized()
    {
        var problem = Verify(Binding("HS256", RandomNumberGenerator.GetBytes(32), KeyId, NewAccountUrl, JwsSigner.Jwk(_account))).Problem!;

        Assert.Equal("urn:ietf:params:acme:error:unauthorized", problem.Type);
        Assert.Contains("EAB key", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnknownKeyId_SaysTheSameAsAWrongMac()
    {
        var wrongMac = Verify(Binding("HS256", RandomNumberGenerator.GetBytes(32), KeyId, NewAccountUrl, JwsSigner.Jwk(_account))).Problem!;
        var unknown = Verify(Binding("HS256", _macKey, "no-such-kid", NewAccountUrl, JwsSigner.Jwk(_account))).Problem!;

        Assert.Equal(wrongMac, unknown);
    }

    [Fact]
    public void Verify_BindsAnotherKey_IsUnauthorized()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var problem = Verify(Binding("HS256", _macKey, KeyId, NewAccountUrl, JwsSigner.Jwk(other))).Problem!;

        Assert.Contains("different key", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OtherUrl_IsMalformed()
    {
        var problem = Verify(Binding("HS256", _macKey, KeyId, "https://panel.test/acme/2/new-account", JwsSigner.Jwk(_account))).Problem!;

        Assert.Contains("newAccount URL", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_InnerNonce_IsMalformed()
    {
        var header = new JsonObject { ["alg"] = "HS256", ["kid"] = KeyId, ["url"] = NewAccountUrl, ["nonce"] = "n" };

        var problem = Verify(JwsSigner.Mac(_macKey, "HS256", header, JwsSigner.Jwk(_account))).Problem!;

        Assert.Contains("must not carry a nonce", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedWithAnAccountKeyInsteadOfMac_IsBadSignatureAlgorithm()
    {
        var binding = JwsSigner.Sign(_account, "ES256", JwsSigner.Header("ES256", kid: KeyId, nonce: null, url: NewAccountUrl), JwsSigner.Jwk(_account));

        var problem = Verify(binding).Problem!;

        Assert.Equal("urn:ietf:params:acme:error:badSignatureAlgorithm", problem.Type);
        Assert.StartsWith("External account binding:", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_PayloadNotAKey_IsMalformed()
    {
        var problem = Verify(Binding("HS256", _macKey, KeyId, NewAccountUrl, """{"hello":"world"}""")).Problem!;

        Assert.Contains("account's public key", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NotAnObject_IsMalformed()
    {
        var problem = ExternalAccountBinding.Verify(JwsSigner.Element(JsonValue.Create("abc")), Outer(), Find).Problem!;

        Assert.Equal("urn:ietf:params:acme:error:malformed", problem.Type);
    }

    private static JsonObject Binding(string alg, byte[] key, string kid, string url, string payload) =>
        JwsSigner.Mac(key, alg, new JsonObject { ["alg"] = alg, ["kid"] = kid, ["url"] = url }, payload);

    private AcmeOutcome<string> Verify(JsonObject binding) => ExternalAccountBinding.Verify(JwsSigner.Element(binding), Outer(), Find);

    private byte[]? Find(string kid) => kid == KeyId ? _macKey : null;

    private AcmeJws Outer() =>
        JwsSigner.Parsed(JwsSigner.Sign(_account, "ES256", JwsSigner.Header("ES256", jwkKey: _account, url: NewAccountUrl), """{"termsOfServiceAgreed":true}"""));
}
