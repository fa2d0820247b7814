using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// tls-alpn-01 and dns-01 through the real panel with a scripted client, for what lego cannot ask: an IP identifier over
/// tls-alpn-01, what a wildcard and an address are offered, and a dns-01 failure reaching the order with its reason.
/// </summary>
public sealed class AcmeChallengeProtocolTests : IAsyncLifetime
{
    private AcmeLab _lab = null!;

    public async Task InitializeAsync() => _lab = await AcmeLab.StartAsync(new AcmePolicyDraft
    {
        RequireEab = false,
        Challenges = [.. AcmeChallengeTypes.All],
    });

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task Order_IpOverTlsAlpn01_IsValidWithTheReverseNameAsSniAndIssues()
    {
        using var client = await AccountAsync();
        var order = await client.NewOrderAsync(("ip", "127.0.0.1"));
        Assert.True(order.Status == 201, order.Text);
        var authorizationUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenges = (await client.GetAsync(authorizationUrl)).Json!["challenges"]!.AsArray();
        // RFC 8738 §7: dns-01 cannot prove an address, even where the directory offers it.
        Assert.Equal(["http-01", "tls-alpn-01"], challenges.Select(c => c!["type"]!.GetValue<string>()));
        var challenge = challenges.Single(c => c!["type"]!.GetValue<string>() == "tls-alpn-01")!;
        await using var box = TlsAlpnResponder.Answering(
            TlsAlpnResponder.BuildCertificate(client.KeyAuthorization(challenge["token"]!.GetValue<string>()), addresses: [IPAddress.Loopback]));
        await _lab.SetPolicyAsync(new AcmePolicyDraft { TlsAlpnPort = box.Port });

        var answered = await client.PostAsync(challenge["url"]!.GetValue<string>(), "{}");

        Assert.True(answered.Status == 200, answered.Text);
        Assert.Equal("valid", (await client.PollAsync(authorizationUrl)).Status_);
        Assert.Equal("1.0.0.127.in-addr.arpa", Assert.Single(box.ServerNames));
        var ready = await client.PollAsync(order.Location!);
        using var certificateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var finalized = await client.PostAsync(ready.Json!["finalize"]!.GetValue<string>(),
            new JsonObject { ["csr"] = AcmeTestClient.Csr(certificateKey, "127.0.0.1") }.ToJsonString());
        Assert.True(finalized.Status == 200, finalized.Text);
        var file = _lab.Panel.FilePath("tls-alpn-ip.pem");
        await File.WriteAllTextAsync(file, (await client.GetAsync(finalized.Json!["certificate"]!.GetValue<string>())).Text);
        var verify = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-CAfile", _lab.RootFile, "-verify_ip", "127.0.0.1", file]);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async Task Order_Wildcard_IsOfferedOnlyDns01AndMarkedWildcard()
    {
        using var client = await AccountAsync();

        var order = await client.NewOrderAsync(("dns", "*.lab.home.arpa"), ("dns", "lab.home.arpa"));

        Assert.True(order.Status == 201, order.Text);
        var authorizations = new List<JsonNode>();
        foreach (var url in order.Json!["authorizations"]!.AsArray())
        {
            authorizations.Add((await client.GetAsync(url!.GetValue<string>())).Json!);
        }

        var wildcard = authorizations.Single(a => a["wildcard"]?.GetValue<bool>() == true);
        Assert.Equal("lab.home.arpa", wildcard["identifier"]!["value"]!.GetValue<string>());
        Assert.Equal(["dns-01"], wildcard["challenges"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()));
        var plain = authorizations.Single(a => a["wildcard"] is null);
        Assert.Equal(["http-01", "tls-alpn-01", "dns-01"], plain["challenges"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Challenge_Dns01WithAnOldRecord_MakesTheOrderInvalidWithTheReason()
    {
        await using var dns = await DnsmasqServer.StartAsync("txt-record=_acme-challenge.nas.home.arpa,\"last-months-value\"");
        var set = await new AcmeDnsResolver(_lab.Storage).SetAsync(dns.EndPoint);
        Assert.True(set.IsSuccess, set.Error);
        using var client = await AccountAsync();
        var order = await client.NewOrderAsync(("dns", "nas.home.arpa"));
        var authorizationUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.GetAsync(authorizationUrl)).Json!["challenges"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "dns-01")!;

        var answered = await client.PostAsync(challenge["url"]!.GetValue<string>(), "{}");

        Assert.True(answered.Status == 200, answered.Text);
        var authorization = await client.PollAsync(authorizationUrl);
        Assert.Equal("invalid", authorization.Status_);
        var error = authorization.Json!["challenges"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "dns-01")!["error"]!;
        Assert.Equal("urn:ietf:params:acme:error:unauthorized", error["type"]!.GetValue<string>());
        Assert.Contains("holds 1 TXT record (\"last-months-value\") but none with this challenge's value", error["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var failed = await client.PollAsync(order.Location!);
        Assert.Equal("invalid", failed.Status_);
        Assert.Contains("last-months-value", failed.Json!["error"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private async Task<AcmeTestClient> AccountAsync()
    {
        var client = await AcmeTestClient.OpenAsync(_lab.DirectoryUrl);
        var made = await client.NewAccountAsync();
        Assert.True(made.Status == 201, made.Text);
        return client;
    }
}
