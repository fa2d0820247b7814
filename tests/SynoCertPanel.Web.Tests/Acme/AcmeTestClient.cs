using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// A small ACME client written for the tests, able to send what real clients never do (a replayed nonce, a wrong url,
/// a body of 10 MB), to reach the parts of the protocol that lego and certbot do not ask for.
/// </summary>
internal sealed class AcmeTestClient : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler
    {
        AllowAutoRedirect = false,
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
    });

    private AcmeTestClient(JsonObject directory, ECDsa key)
    {
        Directory = directory;
        Key = key;
    }

    public JsonObject Directory { get; }

    public ECDsa Key { get; private set; }

    public string? AccountUrl { get; private set; }

    public string Url(string name) => Directory[name]!.GetValue<string>();

    public static async Task<AcmeTestClient> OpenAsync(string directoryUrl, ECDsa? key = null)
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        var directory = JsonNode.Parse(await http.GetStringAsync(new Uri(directoryUrl)))!.AsObject();
        return new AcmeTestClient(directory, key ?? ECDsa.Create(ECCurve.NamedCurves.nistP256));
    }

    public async Task<string> NonceAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(Url("newNonce")));
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Replay-Nonce").Single();
    }

    /// <summary>Signs <paramref name="payload"/> for <paramref name="url"/> (by kid once there is an account) and posts it.</summary>
    public async Task<Reply> PostAsync(string url, string payload, bool withJwk = false, string? nonce = null, Action<JsonObject>? header = null,
        ECDsa? signer = null)
    {
        var protectedHeader = new JsonObject { ["alg"] = "ES256", ["nonce"] = nonce ?? await NonceAsync(), ["url"] = url };
        if (withJwk || AccountUrl is null)
        {
            protectedHeader["jwk"] = JsonNode.Parse(AcmeJwk.FromKey(signer ?? Key).CanonicalJson);
        }
        else
        {
            protectedHeader["kid"] = AccountUrl;
        }

        header?.Invoke(protectedHeader);
        var body = AcmeJwsWriter.Sign(signer ?? Key, "ES256", protectedHeader, payload);
        return await SendAsync(url, Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    public async Task<Reply> SendAsync(string url, byte[] body, string contentType = "application/jose+json")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        // Expect: 100-continue lets the panel refuse a body it will not read before the body is sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url)) { Content = content };
        request.Headers.ExpectContinue = body.Length > 64 * 1024;
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = response.Content.Headers.ContentType?.MediaType is "application/json" or "application/problem+json" && text.Length > 0 ? JsonNode.Parse(text) : null;
        return new Reply((int)response.StatusCode, json, text, response.Headers.Location?.ToString(),
            response.Headers.TryGetValues("Replay-Nonce", out var nonces) ? nonces.Single() : null, response.Content.Headers.ContentType?.MediaType)
        {
            RetryAfter = response.Headers.RetryAfter?.Delta,
            Links = response.Headers.TryGetValues("Link", out var links) ? [.. links] : [],
        };
    }

    public Task<Reply> GetAsync(string url) => PostAsync(url, "");

    public async Task<Reply> NewAccountAsync(AcmeEabKeyCreated? eab = null, string extra = "")
    {
        var payload = new JsonObject { ["termsOfServiceAgreed"] = true, ["contact"] = new JsonArray("mailto:admin@lab.home.arpa") };
        if (eab is not null)
        {
            payload["externalAccountBinding"] = Binding(eab.KeyId, AcmeBase64.TryDecode(eab.HmacKey, out var mac) ? mac : [], Url("newAccount"));
        }

        var text = payload.ToJsonString();
        if (extra.Length > 0)
        {
            text = text[..^1] + "," + extra + "}";
        }

        var reply = await PostAsync(Url("newAccount"), text, withJwk: true);
        if (reply.Status is 200 or 201)
        {
            AccountUrl = reply.Location;
        }

        return reply;
    }

    public JsonObject Binding(string keyId, byte[] mac, string url) =>
        AcmeJwsWriter.Mac(mac, "HS256", new JsonObject { ["alg"] = "HS256", ["kid"] = keyId, ["url"] = url }, AcmeJwk.FromKey(Key).CanonicalJson);

    public Task<Reply> NewOrderAsync(params (string Type, string Value)[] identifiers) => NewOrderAsync(null, identifiers);

    /// <summary>A new order; <paramref name="replaces"/> is the ARI certificate id of the certificate it renews (RFC 9773).</summary>
    public Task<Reply> NewOrderAsync(string? replaces, params (string Type, string Value)[] identifiers)
    {
        var payload = new JsonObject
        {
            ["identifiers"] = new JsonArray(identifiers.Select(i => (JsonNode)new JsonObject { ["type"] = i.Type, ["value"] = i.Value }).ToArray()),
        };
        if (replaces is not null)
        {
            payload["replaces"] = replaces;
        }

        return PostAsync(Url("newOrder"), payload.ToJsonString());
    }

    /// <summary>The ARI certificate id (RFC 9773 §4.1) of <paramref name="certificate"/>, worked out here independently of the panel.</summary>
    public static string CertificateId(X509Certificate2 certificate)
    {
        var keyIdentifier = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value;
        return AcmeBase64.Encode(keyIdentifier.Span) + "." + AcmeBase64.Encode(certificate.SerialNumberBytes.Span);
    }

    public string KeyAuthorization(string token) => token + "." + AcmeJwk.FromKey(Key).Thumbprint;

    /// <summary>Replaces the account key here (after a key change).</summary>
    public void UseKey(ECDsa key) => Key = key;

    /// <summary>Polls a resource until its status leaves pending/processing.</summary>
    public async Task<Reply> PollAsync(string url)
    {
        for (var i = 0; i < 300; i++)
        {
            var reply = await GetAsync(url);
            if (reply.Status != 200 || reply.Json?["status"]?.GetValue<string>() is not ("pending" or "processing"))
            {
                return reply;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{url} stayed pending.");
    }

    /// <summary>A CSR for <paramref name="names"/> (DNS names or IP addresses), with CN the first.</summary>
    public static string Csr(ECDsa key, params string[] names)
    {
        var request = new CertificateRequest("CN=" + names[0], key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                sans.AddIpAddress(ip);
            }
            else
            {
                sans.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(sans.Build());
        return AcmeBase64.Encode(request.CreateSigningRequest());
    }

    public void Dispose()
    {
        _http.Dispose();
        Key.Dispose();
    }

    public sealed record Reply(int Status, JsonNode? Json, string Text, string? Location, string? Nonce, string? ContentType)
    {
        public string? ProblemType => ContentType == "application/problem+json" ? Json?["type"]?.GetValue<string>() : null;

        public string Detail => Json?["detail"]?.GetValue<string>() ?? "";

        public string Status_ => Json?["status"]?.GetValue<string>() ?? "";

        public TimeSpan? RetryAfter { get; init; }

        /// <summary>The Link header's values as sent (<c>&lt;URL&gt;;rel="…"</c>).</summary>
        public IReadOnlyList<string> Links { get; init; } = [];

        /// <summary>The URLs of the links with relation <paramref name="relation"/>.</summary>
        public IReadOnlyList<string> LinksTo(string relation) => [.. Links
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, "^<([^>]*)>;\\s*rel=\"([^\"]*)\"$"))
            .Where(m => m.Success && m.Groups[2].Value == relation).Select(m => m.Groups[1].Value)];
    }
}
