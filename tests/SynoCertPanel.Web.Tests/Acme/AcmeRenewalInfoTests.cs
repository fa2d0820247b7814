using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>Renewal information (RFC 9773) and the "replaces" of a new order, and orders that run out of time, against the real panel.</summary>
public sealed class AcmeRenewalInfoTests(AcmeLabFixture fixture) : IClassFixture<AcmeLabFixture>
{
    private const string Problem = "urn:ietf:params:acme:error:";

    private AcmeLab Lab => fixture.Lab;

    [Fact]
    public async Task RenewalInfo_IssuedCertificate_SuggestsTwoThirdsToThreeQuartersOfItsLifetime()
    {
        await using var box = ChallengeServer.Start();
        using var client = await AccountAsync(box, "ari.home.arpa");
        using var certificate = await IssueAsync(client, box, "ari.home.arpa");
        var id = AcmeTestClient.CertificateId(certificate);

        using var http = Http();
        using var response = await http.GetAsync(new Uri(client.Url("renewalInfo") + "/" + id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromHours(6), response.Headers.RetryAfter?.Delta);
        var window = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["suggestedWindow"]!;
        var start = DateTimeOffset.Parse(window["start"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(window["end"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var lifetime = certificate.NotAfter.ToUniversalTime() - certificate.NotBefore.ToUniversalTime();
        Assert.InRange(start - notBefore, (lifetime * 2 / 3) - TimeSpan.FromSeconds(1), (lifetime * 2 / 3) + TimeSpan.FromSeconds(1));
        Assert.InRange(end - notBefore, (lifetime * 3 / 4) - TimeSpan.FromSeconds(1), (lifetime * 3 / 4) + TimeSpan.FromSeconds(1));
        Assert.True(end < new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
    }

    [Fact]
    public async Task RenewalInfo_RevokedCertificate_WindowIsAlreadyOpen()
    {
        await using var box = ChallengeServer.Start();
        using var client = await AccountAsync(box, "gone.home.arpa");
        using var certificate = await IssueAsync(client, box, "gone.home.arpa");
        var revoked = await client.PostAsync(client.Url("revokeCert"), new JsonObject { ["certificate"] = AcmeBase64.Encode(certificate.RawData) }.ToJsonString());
        Assert.Equal(200, revoked.Status);

        using var http = Http();
        var window = JsonNode.Parse(await http.GetStringAsync(new Uri(client.Url("renewalInfo") + "/" + AcmeTestClient.CertificateId(certificate))))!["suggestedWindow"]!;

        var start = DateTimeOffset.Parse(window["start"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(window["end"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.True(start < DateTimeOffset.UtcNow, window.ToJsonString());
        Assert.True(end <= DateTimeOffset.UtcNow.AddSeconds(1), window.ToJsonString());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("AAEC.gA")]
    [InlineData("AAEC.AAE")]
    [InlineData("AAEC.")]
    [InlineData("AA+C.AQ")]
    public async Task RenewalInfo_MalformedCertificateId_IsMalformed(string id)
    {
        using var http = Http();
        using var response = await http.GetAsync(new Uri($"{Lab.Panel.Address}/acme/{Lab.AuthorityId}/renewal-info/{Uri.EscapeDataString(id)}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Problem + "malformed", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task RenewalInfo_UnknownSerialOrOtherIssuer_IsNotFound()
    {
        await using var box = ChallengeServer.Start();
        using var client = await AccountAsync(box, "known.home.arpa");
        using var certificate = await IssueAsync(client, box, "known.home.arpa");
        var parts = AcmeTestClient.CertificateId(certificate).Split('.');

        using var http = Http();
        using var unknownSerial = await http.GetAsync(new Uri(client.Url("renewalInfo") + "/" + parts[0] + ".AQIDBA"));
        using var otherIssuer = await http.GetAsync(new Uri(client.Url("renewalInfo") + "/" + AcmeBase64.Encode(RandomNumberGenerator.GetBytes(20)) + "." + parts[1]));

        Assert.Equal(HttpStatusCode.NotFound, unknownSerial.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherIssuer.StatusCode);
        Assert.Contains("ARI certificate id", await unknownSerial.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewOrder_Replaces_IsStoredShownAndRefusedASecondTime()
    {
        await using var box = ChallengeServer.Start();
        using var client = await AccountAsync(box, "renew.home.arpa");
        using var certificate = await IssueAsync(client, box, "renew.home.arpa");
        var id = AcmeTestClient.CertificateId(certificate);
        using var stranger = await AccountAsync(box, "renew.home.arpa");

        var foreign = await stranger.NewOrderAsync(id, ("dns", "renew.home.arpa"));
        var unrelated = await client.NewOrderAsync(id, ("dns", "other.home.arpa"));
        var garbage = await client.NewOrderAsync("not-an-id", ("dns", "renew.home.arpa"));
        var renewal = await client.NewOrderAsync(id, ("dns", "renew.home.arpa"));
        var again = await client.NewOrderAsync(id, ("dns", "renew.home.arpa"));

        Assert.Equal(Problem + "malformed", foreign.ProblemType);
        Assert.Contains("no certificate this account ordered", foreign.Detail, StringComparison.Ordinal);
        Assert.Equal(Problem + "malformed", unrelated.ProblemType);
        Assert.Contains("shares no name", unrelated.Detail, StringComparison.Ordinal);
        Assert.Equal(Problem + "malformed", garbage.ProblemType);
        Assert.True(renewal.Status == 201, renewal.Text);
        Assert.Equal(id, renewal.Json!["replaces"]!.GetValue<string>());
        Assert.Equal(409, again.Status);
        Assert.Equal(Problem + "alreadyReplaced", again.ProblemType);
        var listed = (await Lab.Directories.OrdersAsync(Lab.AuthorityId)).Value.Single(o => o.Id == OrderId(renewal.Location!));
        Assert.Equal(id, listed.Replaces);
    }

    [Fact]
    public async Task Order_PastItsExpiry_ReadsInvalidInAnswersAndInTheList()
    {
        using var client = await AcmeTestClient.OpenAsync(Lab.DirectoryUrl);
        Assert.Equal(201, (await client.NewAccountAsync(await Lab.CreateEabKeyAsync())).Status);
        var order = await client.NewOrderAsync(("dns", "late.home.arpa"));
        var id = OrderId(order.Location!);
        await using (var db = Lab.Storage.CreateContext())
        {
            var record = await db.AcmeOrders.SingleAsync(o => o.Id == id);
            record.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var read = await client.GetAsync(order.Location!);
        var finalize = await client.PostAsync(order.Json!["finalize"]!.GetValue<string>(),
            new JsonObject { ["csr"] = AcmeTestClient.Csr(key, "late.home.arpa") }.ToJsonString());

        Assert.Equal("invalid", read.Status_);
        Assert.Contains("expired", read.Json!["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Problem + "orderNotReady", finalize.ProblemType);
        Assert.Contains("invalid", finalize.Detail, StringComparison.Ordinal);
        var listed = (await Lab.Directories.OrdersAsync(Lab.AuthorityId)).Value.Single(o => o.Id == id);
        Assert.Equal("invalid", listed.Status);
        Assert.Contains("expired", listed.Error, StringComparison.Ordinal);
        await using var check = Lab.Storage.CreateContext();
        Assert.Equal("pending", (await check.AcmeOrders.SingleAsync(o => o.Id == id)).Status);
    }

    private static int OrderId(string location) => int.Parse(location.Split('/')[^1], CultureInfo.InvariantCulture);

    private static HttpClient Http() => new(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });

    private async Task<AcmeTestClient> AccountAsync(ChallengeServer box, string name)
    {
        await Lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        await Lab.ResolveAsync($"{name}=127.0.0.1", "other.home.arpa=127.0.0.1");
        var client = await AcmeTestClient.OpenAsync(Lab.DirectoryUrl);
        var made = await client.NewAccountAsync(await Lab.CreateEabKeyAsync());
        Assert.True(made.Status == 201, made.Text);
        return client;
    }

    /// <summary>An order for <paramref name="name"/> proved over http-01 and finalized: the certificate issued.</summary>
    internal static async Task<X509Certificate2> IssueAsync(AcmeTestClient client, ChallengeServer box, string name)
    {
        var order = await client.NewOrderAsync(("dns", name));
        Assert.True(order.Status == 201, order.Text);
        var authorizationUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.GetAsync(authorizationUrl)).Json!["challenges"]![0]!;
        var token = challenge["token"]!.GetValue<string>();
        box.Files[token] = client.KeyAuthorization(token);
        await client.PostAsync(challenge["url"]!.GetValue<string>(), "{}");
        Assert.Equal("ready", (await client.PollAsync(order.Location!)).Status_);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var finalized = await client.PostAsync(order.Json!["finalize"]!.GetValue<string>(), new JsonObject { ["csr"] = AcmeTestClient.Csr(key, name) }.ToJsonString());
        Assert.True(finalized.Status == 200, finalized.Text);
        var pem = (await client.GetAsync(finalized.Json!["certificate"]!.GetValue<string>())).Text;
        return X509CertificateLoader.LoadCertificate(Encoding.ASCII.GetBytes(pem));
    }
}
