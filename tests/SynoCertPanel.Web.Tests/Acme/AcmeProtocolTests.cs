using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>RFC 8555 over real HTTPS against the real panel, for what lego and certbot never send.</summary>
public sealed class AcmeProtocolTests(AcmeLabFixture fixture) : IClassFixture<AcmeLabFixture>
{
    private const string Problem = "urn:ietf:params:acme:error:";

    private AcmeLab Lab => fixture.Lab;

    [Fact]
    public async Task Order_Ipv4AndIpv6OverHttp01_IssuesACertificateWithBothAddresses()
    {
        await using var box = ChallengeServer.Start(ipv6: true);
        await Lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        using var client = await AccountAsync();

        var order = await client.NewOrderAsync(("ip", "127.0.0.1"), ("ip", "::1"));

        Assert.True(order.Status == 201, order.Text);
        Assert.Equal("pending", order.Status_);
        foreach (var authorizationUrl in order.Json!["authorizations"]!.AsArray().Select(a => a!.GetValue<string>()))
        {
            var authorization = await client.GetAsync(authorizationUrl);
            var challenges = authorization.Json!["challenges"]!.AsArray();
            // The lab offers the defaults of a new directory, both of which can prove an address (RFC 8738 §7).
            Assert.Equal(["http-01", "tls-alpn-01"], challenges.Select(c => c!["type"]!.GetValue<string>()));
            var http01 = challenges.Single(c => c!["type"]!.GetValue<string>() == "http-01")!;
            var token = http01["token"]!.GetValue<string>();
            box.Files[token] = client.KeyAuthorization(token);
            var answered = await client.PostAsync(http01["url"]!.GetValue<string>(), "{}");
            Assert.True(answered.Status == 200, answered.Text);
            Assert.Equal("valid", (await client.PollAsync(authorizationUrl)).Status_);
        }

        var ready = await client.PollAsync(order.Location!);
        Assert.Equal("ready", ready.Status_);
        using var certificateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var finalized = await client.PostAsync(ready.Json!["finalize"]!.GetValue<string>(),
            new JsonObject { ["csr"] = AcmeTestClient.Csr(certificateKey, "127.0.0.1", "::1") }.ToJsonString());
        Assert.True(finalized.Status == 200, finalized.Text);
        Assert.Equal("valid", finalized.Status_);
        var download = await client.GetAsync(finalized.Json!["certificate"]!.GetValue<string>());
        Assert.Equal("application/pem-certificate-chain", download.ContentType);

        var file = Lab.Panel.FilePath("ip.pem");
        await File.WriteAllTextAsync(file, download.Text);
        var verify = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-CAfile", Lab.RootFile, "-verify_ip", "::1", file]);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        using var issued = X509CertificateLoader.LoadCertificate(Encoding.ASCII.GetBytes(download.Text));
        var names = issued.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().ToList();
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names);
        // No CN: the lab root permits only some DNS names, and OpenSSL would read "127.0.0.1" as one outside them.
        Assert.Equal("", issued.Subject);
        Assert.True(issued.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Critical);
    }

    [Fact]
    public async Task Post_ReplayedNonce_IsBadNonceWithAFreshOne()
    {
        using var client = await AccountAsync();
        var nonce = await client.NonceAsync();
        var first = await client.NewOrderAsync(("dns", "a.home.arpa"));
        Assert.Equal(201, first.Status);

        await client.PostAsync(client.Url("newOrder"), Order("b.home.arpa"), nonce: nonce);
        var replayed = await client.PostAsync(client.Url("newOrder"), Order("c.home.arpa"), nonce: nonce);

        Assert.Equal(Problem + "badNonce", replayed.ProblemType);
        Assert.Equal(400, replayed.Status);
        Assert.False(string.IsNullOrEmpty(replayed.Nonce));
        Assert.NotEqual(nonce, replayed.Nonce);
        Assert.Equal(201, (await client.PostAsync(client.Url("newOrder"), Order("d.home.arpa"), nonce: replayed.Nonce)).Status);
    }

    [Fact]
    public async Task Post_UrlOfAnotherResource_IsUnauthorized()
    {
        using var client = await AccountAsync();

        var reply = await client.PostAsync(client.Url("newOrder"), Order("a.home.arpa"), header: h => h["url"] = client.Url("newAccount"));

        Assert.Equal(Problem + "unauthorized", reply.ProblemType);
        Assert.Contains("not the URL this request was sent to", reply.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_AlgNone_IsBadSignatureAlgorithm()
    {
        using var client = await AccountAsync();
        var header = new JsonObject { ["alg"] = "none", ["kid"] = client.AccountUrl, ["nonce"] = await client.NonceAsync(), ["url"] = client.Url("newOrder") };
        var body = new JsonObject
        {
            ["protected"] = AcmeBase64.Encode(Encoding.UTF8.GetBytes(header.ToJsonString())),
            ["payload"] = AcmeBase64.Encode(Encoding.UTF8.GetBytes(Order("a.home.arpa"))),
            ["signature"] = "",
        };

        var reply = await client.SendAsync(client.Url("newOrder"), Encoding.UTF8.GetBytes(body.ToJsonString()));

        Assert.Equal(Problem + "badSignatureAlgorithm", reply.ProblemType);
        Assert.Equal("application/problem+json", reply.ContentType);
    }

    [Fact]
    public async Task Post_WrongMediaTypeOrHugeBodyOrGarbage_IsRefusedAndNothingIsStored()
    {
        using var client = await AccountAsync();
        var before = await CountOrdersAsync();

        var plain = await client.SendAsync(client.Url("newOrder"), Encoding.UTF8.GetBytes("{}"), "application/json");
        var huge = await client.SendAsync(client.Url("newOrder"), new byte[10 * 1024 * 1024]);
        var garbage = await client.SendAsync(client.Url("newOrder"), [0xff, 0xfe, 0x00, 0x7b]);

        Assert.Equal(415, plain.Status);
        Assert.Contains("application/jose+json", plain.Detail, StringComparison.Ordinal);
        Assert.Equal(413, huge.Status);
        Assert.Equal(Problem + "malformed", garbage.ProblemType);
        Assert.Equal(before, await CountOrdersAsync());
    }

    [Fact]
    public async Task NewAccount_WithoutBindingOrWithAWrongMac_IsRefusedAndNoAccountIsMade()
    {
        using var client = await AcmeTestClient.OpenAsync(Lab.DirectoryUrl);
        var before = await CountAccountsAsync();
        var eab = await Lab.CreateEabKeyAsync();

        var missing = await client.NewAccountAsync();
        var wrong = await client.NewAccountAsync(eab with { HmacKey = AcmeBase64.Encode(RandomNumberGenerator.GetBytes(32)) });

        Assert.Equal(Problem + "externalAccountRequired", missing.ProblemType);
        Assert.Contains("EAB key", missing.Detail, StringComparison.Ordinal);
        Assert.Equal(Problem + "unauthorized", wrong.ProblemType);
        Assert.Equal(before, await CountAccountsAsync());
        Assert.Equal(201, (await client.NewAccountAsync(eab)).Status);
    }

    [Fact]
    public async Task NewAccount_EabKeyUsedTwice_BindsOnlyTheFirstAccount()
    {
        var eab = await Lab.CreateEabKeyAsync();
        using var first = await AcmeTestClient.OpenAsync(Lab.DirectoryUrl);
        using var second = await AcmeTestClient.OpenAsync(Lab.DirectoryUrl);

        Assert.Equal(201, (await first.NewAccountAsync(eab)).Status);
        var again = await second.NewAccountAsync(eab);

        Assert.Equal(Problem + "unauthorized", again.ProblemType);
    }

    [Fact]
    public async Task NewAccount_SameKeyAgain_AnswersTheExistingAccount()
    {
        using var client = await AccountAsync();
        var first = client.AccountUrl;

        var again = await client.NewAccountAsync(extra: "\"onlyReturnExisting\":true");
        using var stranger = await AcmeTestClient.OpenAsync(Lab.DirectoryUrl);
        var unknown = await stranger.NewAccountAsync(extra: "\"onlyReturnExisting\":true");

        Assert.Equal(200, again.Status);
        Assert.Equal(first, again.Location);
        Assert.Equal(Problem + "accountDoesNotExist", unknown.ProblemType);
    }

    [Fact]
    public async Task NewOrder_TenThousandIdentifiersOrAForeignName_IsRejectedWithSubproblems()
    {
        using var client = await AccountAsync();
        var before = await CountOrdersAsync();

        var many = await client.NewOrderAsync([.. Enumerable.Range(0, 101).Select(i => ("dns", $"n{i}.home.arpa"))]);
        var huge = await client.NewOrderAsync([.. Enumerable.Range(0, 10_000).Select(i => ("dns", $"n{i}.home.arpa"))]);
        var foreign = await client.NewOrderAsync(("dns", "nas.home.arpa"), ("dns", "www.example.com"), ("ip", "8.8.8.8"), ("email", "a@b"));

        Assert.Equal(Problem + "rejectedIdentifier", many.ProblemType);
        Assert.Contains("at most 100", many.Detail, StringComparison.Ordinal);
        Assert.Equal(413, huge.Status);
        Assert.Equal(Problem + "malformed", huge.ProblemType);
        Assert.Equal(Problem + "rejectedIdentifier", foreign.ProblemType);
        var subproblems = foreign.Json!["subproblems"]!.AsArray();
        Assert.Equal(["www.example.com", "8.8.8.8", "a@b"], subproblems.Select(s => s!["identifier"]!["value"]!.GetValue<string>()));
        Assert.Equal(Problem + "unsupportedIdentifier", subproblems[2]!["type"]!.GetValue<string>());
        Assert.Equal(before, await CountOrdersAsync());
    }

    [Fact]
    public async Task Finalize_CsrNamingAnExtraName_IsBadCsrAndTheOrderStaysReady()
    {
        await using var box = ChallengeServer.Start();
        await Lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        await Lab.ResolveAsync("web.home.arpa=127.0.0.1");
        using var client = await AccountAsync();
        var order = await ValidatedOrderAsync(client, box, "web.home.arpa");
        using var certificateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var extra = await client.PostAsync(order.Json!["finalize"]!.GetValue<string>(),
            new JsonObject { ["csr"] = AcmeTestClient.Csr(certificateKey, "web.home.arpa", "admin.home.arpa") }.ToJsonString());
        var accountKey = await client.PostAsync(order.Json!["finalize"]!.GetValue<string>(),
            new JsonObject { ["csr"] = AcmeTestClient.Csr(client.Key, "web.home.arpa") }.ToJsonString());
        var garbage = await client.PostAsync(order.Json!["finalize"]!.GetValue<string>(), "{\"csr\":\"MIIBAAAA\"}");

        Assert.Equal(Problem + "badCSR", extra.ProblemType);
        Assert.Contains("admin.home.arpa", extra.Detail, StringComparison.Ordinal);
        Assert.Equal(Problem + "badCSR", accountKey.ProblemType);
        Assert.Contains("account's own key", accountKey.Detail, StringComparison.Ordinal);
        Assert.Equal(Problem + "badCSR", garbage.ProblemType);
        Assert.Equal("ready", (await client.GetAsync(order.Location!)).Status_);
    }

    [Fact]
    public async Task Http01_BodyThatNeverEndsOrRedirectLoop_MakesTheAuthorizationInvalidWithAReason()
    {
        await using var box = ChallengeServer.Start();
        await Lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        await Lab.ResolveAsync("slow.home.arpa=127.0.0.1", "loop.home.arpa=127.0.0.1");
        using var client = await AccountAsync();

        box.Mode = ChallengeServer.Behaviour.RedirectLoop;
        var loop = await AnswerAsync(client, "loop.home.arpa");
        box.Mode = ChallengeServer.Behaviour.EndlessBody;
        var endless = await AnswerAsync(client, "slow.home.arpa");

        Assert.Equal("invalid", loop.Authorization.Status_);
        Assert.Contains("more than 10 redirects", loop.Challenge["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("invalid", endless.Authorization.Status_);
        Assert.Contains("8192 bytes", endless.Challenge["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var order = await client.GetAsync(loop.OrderUrl);
        Assert.Equal("invalid", order.Status_);
        Assert.Contains("loop.home.arpa", order.Json!["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Challenge_BoxAnswersAtOnce_IsValidInTheReplyItself_ARetriedOneIsStillProcessing()
    {
        await using var box = ChallengeServer.Start();
        await Lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        await Lab.ResolveAsync("quick.home.arpa=127.0.0.1", "retried.home.arpa=127.0.0.1");
        using var client = await AccountAsync();

        var order = await client.NewOrderAsync(("dns", "quick.home.arpa"));
        var challenge = (await client.GetAsync(order.Json!["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!;
        var token = challenge["token"]!.GetValue<string>();
        box.Files[token] = client.KeyAuthorization(token);
        var answered = await client.PostAsync(challenge["url"]!.GetValue<string>(), "{}");

        // The outcome comes in the answer to "ready": a client such as lego then finalizes without polling.
        Assert.True(answered.Status == 200, answered.Text);
        Assert.Equal("valid", answered.Status_);
        Assert.Equal("ready", (await client.GetAsync(order.Location!)).Status_);

        // A redirect loop fails every attempt, and the attempts are 2 s apart: longer than the answer waits.
        box.Mode = ChallengeServer.Behaviour.RedirectLoop;
        var retried = await client.NewOrderAsync(("dns", "retried.home.arpa"));
        var authorizationUrl = retried.Json!["authorizations"]![0]!.GetValue<string>();
        var loop = (await client.GetAsync(authorizationUrl)).Json!["challenges"]![0]!;
        var pending = await client.PostAsync(loop["url"]!.GetValue<string>(), "{}");
        Assert.True(pending.Status == 200, pending.Text);
        Assert.Equal("processing", pending.Status_);
        Assert.Equal("invalid", (await client.PollAsync(authorizationUrl)).Status_);
    }

    [Fact]
    public async Task Resources_OfAnotherAccount_AreNotShown()
    {
        using var owner = await AccountAsync();
        using var other = await AccountAsync();
        var order = await owner.NewOrderAsync(("dns", "mine.home.arpa"));

        var peek = await other.GetAsync(order.Location!);
        var authorization = await other.GetAsync(order.Json!["authorizations"]![0]!.GetValue<string>());

        Assert.Equal(404, peek.Status);
        Assert.Equal(404, authorization.Status);
        Assert.Equal(403, (await other.GetAsync(owner.AccountUrl!)).Status);
    }

    [Fact]
    public async Task KeyChange_ThenOldKeyIsRefusedAndNewKeyWorks()
    {
        using var client = await AccountAsync();
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var url = client.Url("keyChange");
        var inner = AcmeJwsWriter.Sign(newKey, "ES256", new JsonObject { ["alg"] = "ES256", ["jwk"] = JsonNode.Parse(AcmeJwk.FromKey(newKey).CanonicalJson), ["url"] = url },
            new JsonObject { ["account"] = client.AccountUrl, ["oldKey"] = JsonNode.Parse(AcmeJwk.FromKey(client.Key).CanonicalJson) }.ToJsonString());

        var changed = await client.PostAsync(url, inner.ToJsonString());
        Assert.True(changed.Status == 200, changed.Text);

        var old = await client.NewOrderAsync(("dns", "a.home.arpa"));
        Assert.Equal(Problem + "unauthorized", old.ProblemType);
        client.UseKey(ECDsa.Create(newKey.ExportParameters(true)));
        Assert.Equal(201, (await client.NewOrderAsync(("dns", "a.home.arpa"))).Status);
    }

    [Fact]
    public async Task Deactivate_ThenTheAccountCanDoNothing()
    {
        using var client = await AccountAsync();
        var open = await client.NewOrderAsync(("dns", "a.home.arpa"));

        var deactivated = await client.PostAsync(client.AccountUrl!, "{\"status\":\"deactivated\"}");

        Assert.Equal("deactivated", deactivated.Status_);
        var after = await client.NewOrderAsync(("dns", "b.home.arpa"));
        Assert.Equal(Problem + "unauthorized", after.ProblemType);
        Assert.Contains("deactivated", after.Detail, StringComparison.Ordinal);
        var openId = int.Parse(open.Location!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await using var db = Lab.Storage.CreateContext();
        Assert.Equal("invalid", (await db.AcmeOrders.SingleAsync(o => o.Id == openId)).Status);
    }

    [Fact]
    public async Task Revoke_ByTheAccount_ThenAgainIsAlreadyRevoked()
    {
        await using var box = ChallengeServer.Start();
        await Lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        await Lab.ResolveAsync("old.home.arpa=127.0.0.1");
        using var client = await AccountAsync();
        var order = await ValidatedOrderAsync(client, box, "old.home.arpa");
        using var certificateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var finalized = await client.PostAsync(order.Json!["finalize"]!.GetValue<string>(),
            new JsonObject { ["csr"] = AcmeTestClient.Csr(certificateKey, "old.home.arpa") }.ToJsonString());
        var pem = (await client.GetAsync(finalized.Json!["certificate"]!.GetValue<string>())).Text;
        using var certificate = X509CertificateLoader.LoadCertificate(Encoding.ASCII.GetBytes(pem));
        var revoke = new JsonObject { ["certificate"] = AcmeBase64.Encode(certificate.RawData), ["reason"] = 4 }.ToJsonString();

        var badReason = await client.PostAsync(client.Url("revokeCert"), revoke.Replace("\"reason\":4", "\"reason\":7", StringComparison.Ordinal));
        var first = await client.PostAsync(client.Url("revokeCert"), revoke);
        var second = await client.PostAsync(client.Url("revokeCert"), revoke);

        Assert.Equal(Problem + "badRevocationReason", badReason.ProblemType);
        Assert.Equal(200, first.Status);
        Assert.Equal(Problem + "alreadyRevoked", second.ProblemType);
        await using var db = Lab.Storage.CreateContext();
        var revoked = await db.Revocations.SingleAsync(r => r.SerialNumber == certificate.SerialNumber.TrimStart('0'));
        Assert.Equal(4, revoked.Reason);
    }

    private async Task<AcmeTestClient> AccountAsync()
    {
        var client = await AcmeTestClient.OpenAsync(Lab.DirectoryUrl);
        var made = await client.NewAccountAsync(await Lab.CreateEabKeyAsync());
        Assert.True(made.Status == 201, made.Text);
        return client;
    }

    private static async Task<AcmeTestClient.Reply> ValidatedOrderAsync(AcmeTestClient client, ChallengeServer box, string name)
    {
        var order = await client.NewOrderAsync(("dns", name));
        var authorizationUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.GetAsync(authorizationUrl)).Json!["challenges"]![0]!;
        var token = challenge["token"]!.GetValue<string>();
        box.Files[token] = client.KeyAuthorization(token);
        await client.PostAsync(challenge["url"]!.GetValue<string>(), "{}");
        Assert.Equal("valid", (await client.PollAsync(authorizationUrl)).Status_);
        var ready = await client.PollAsync(order.Location!);
        Assert.Equal("ready", ready.Status_);
        return ready with { Location = order.Location };
    }

    private static async Task<(AcmeTestClient.Reply Authorization, JsonNode Challenge, string OrderUrl)> AnswerAsync(AcmeTestClient client, string name)
    {
        var order = await client.NewOrderAsync(("dns", name));
        var authorizationUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.GetAsync(authorizationUrl)).Json!["challenges"]![0]!;
        await client.PostAsync(challenge["url"]!.GetValue<string>(), "{}");
        var authorization = await client.PollAsync(authorizationUrl);
        return (authorization, authorization.Json!["challenges"]![0]!, order.Location!);
    }

    private static string Order(string name) => new JsonObject { ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = name }) }.ToJsonString();

    private async Task<int> CountOrdersAsync()
    {
        await using var db = Lab.Storage.CreateContext();
        return await db.AcmeOrders.CountAsync();
    }

    private async Task<int> CountAccountsAsync()
    {
        await using var db = Lab.Storage.CreateContext();
        return await db.AcmeAccounts.CountAsync();
    }
}
