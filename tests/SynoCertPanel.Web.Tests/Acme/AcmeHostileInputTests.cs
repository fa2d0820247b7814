using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Acme;
using Xunit.Abstractions;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>Bad input against the real panel: each answered with RFC 8555's error, nothing stored, nothing left hanging.</summary>
public sealed class AcmeHostileInputTests(AcmeLabFixture fixture, ITestOutputHelper output) : IClassFixture<AcmeLabFixture>
{
    private const string Problem = "urn:ietf:params:acme:error:";

    private const int TenMegabytes = 10 * 1024 * 1024;

    private AcmeLab Lab => fixture.Lab;

    [Fact]
    public async Task Post_TruncatedOrOversizedOrMangledJws_IsMalformedAndNothingIsStored()
    {
        using var client = await AccountAsync();
        var before = await CountOrdersAsync();
        var url = client.Url("newOrder");
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = client.AccountUrl, ["nonce"] = await client.NonceAsync(), ["url"] = url };
        var jws = AcmeJwsWriter.Sign(client.Key, "ES256", header, Order("a.home.arpa")).ToJsonString();
        var padded = new JsonObject
        {
            ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = "a.home.arpa" }),
            ["padding"] = new string('x', 70 * 1024),
        }.ToJsonString();
        var mangled = JsonNode.Parse(jws)!.AsObject();
        mangled["protected"] = "!!not base64url!!";

        var truncated = await client.SendAsync(url, Encoding.UTF8.GetBytes(jws[..(jws.Length / 2)]));
        var oversized = await client.PostAsync(url, padded);
        var badHeader = await client.SendAsync(url, Encoding.UTF8.GetBytes(mangled.ToJsonString()));
        var empty = await client.SendAsync(url, []);

        Assert.Equal(Problem + "malformed", truncated.ProblemType);
        Assert.Equal(400, truncated.Status);
        Assert.Equal(Problem + "malformed", oversized.ProblemType);
        Assert.Equal(413, oversized.Status);
        Assert.Contains("65536 bytes", oversized.Detail, StringComparison.Ordinal);
        Assert.Equal(Problem + "malformed", badHeader.ProblemType);
        Assert.Equal(Problem + "malformed", empty.ProblemType);
        Assert.Equal(before, await CountOrdersAsync());
    }

    [Fact]
    public async Task Post_TenMegabytesAnnounced_IsRefusedBeforeTheBodyIsSent()
    {
        using var client = await AccountAsync();
        var clock = Stopwatch.StartNew();

        var answer = await RawPostAsync(client.Url("newOrder"), chunked: false);
        output.WriteLine($"10 MB announced: answered in {clock.ElapsedMilliseconds} ms after {answer.BodyBytesSent} body bytes were written");

        Assert.StartsWith("HTTP/1.1 413", answer.Head, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer.Head, StringComparison.Ordinal);
        Assert.Contains(Problem + "malformed", answer.Head, StringComparison.Ordinal);
        Assert.True(answer.BodyBytesSent < TenMegabytes, $"{answer.BodyBytesSent} bytes sent");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task Post_TenMegabytesChunked_IsRefusedAfterTheLimitNotAfterTheBody()
    {
        using var client = await AccountAsync();
        var before = await CountOrdersAsync();

        var clock = Stopwatch.StartNew();
        var answer = await RawPostAsync(client.Url("newOrder"), chunked: true);
        output.WriteLine($"10 MB chunked: answered in {clock.ElapsedMilliseconds} ms after {answer.BodyBytesSent} body bytes were written");

        Assert.StartsWith("HTTP/1.1 413", answer.Head, StringComparison.Ordinal);
        Assert.Contains(Problem + "malformed", answer.Head, StringComparison.Ordinal);
        Assert.True(answer.BodyBytesSent < TenMegabytes, $"{answer.BodyBytesSent} bytes sent");
        Assert.Equal(before, await CountOrdersAsync());
    }

    [Fact]
    public async Task Http01_RedirectToAnotherPort_IsNotFollowed()
    {
        await using var box = ChallengeServer.Start();
        await Lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        await Lab.ResolveAsync("hop.home.arpa=127.0.0.1");
        using var client = await AccountAsync();
        box.Mode = ChallengeServer.Behaviour.RedirectToOtherPort;

        var (authorization, challenge) = await AnswerAsync(client, "hop.home.arpa");

        Assert.Equal("invalid", authorization.Status_);
        Assert.Equal(Problem + "connection", challenge["error"]!["type"]!.GetValue<string>());
        Assert.Contains("127.0.0.1:22", challenge["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("only to http on port", challenge["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http01_TenMegabyteAnswer_IsRefusedWithoutReadingIt()
    {
        await using var box = ChallengeServer.Start();
        await Lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        await Lab.ResolveAsync("big.home.arpa=127.0.0.1");
        using var client = await AccountAsync();
        box.Mode = ChallengeServer.Behaviour.TenMegabytes;
        var clock = Stopwatch.StartNew();

        var (authorization, challenge) = await AnswerAsync(client, "big.home.arpa");
        output.WriteLine($"10 MB challenge answer: invalid after {clock.ElapsedMilliseconds} ms, {box.BodyBytesSent} body bytes written in all attempts");

        Assert.Equal("invalid", authorization.Status_);
        Assert.Contains("more than 8192 bytes", challenge["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), clock.Elapsed.ToString());
        Assert.True(Interlocked.Read(ref box.BodyBytesSent) < TenMegabytes * 3L, $"{box.BodyBytesSent} bytes sent in three attempts");
    }

    private sealed record RawAnswer(string Head, long BodyBytesSent);

    /// <summary>
    /// Sends a POST whose body would be 10 MB over a raw TLS connection (HttpClient hides how much of a body went out),
    /// writing the body while reading the answer, and stops writing once the panel answers or hangs up.
    /// </summary>
    private static async Task<RawAnswer> RawPostAsync(string url, bool chunked)
    {
        var uri = new Uri(url);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
#pragma warning disable CA5359 // The test's own panel on loopback, whose certificate the test does not need to check.
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
#pragma warning restore CA5359
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", ApplicationProtocols = [SslApplicationProtocol.Http11] });
        var head = $"POST {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/jose+json\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {TenMegabytes}\r\n") + "\r\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var answered = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        long sent = 0;
        var writer = Task.Run(async () =>
        {
            var block = new byte[16 * 1024];
            RandomNumberGenerator.Fill(block);
            try
            {
                while (sent < TenMegabytes && !answered.IsCancellationRequested)
                {
                    if (chunked)
                    {
                        await tls.WriteAsync(Encoding.ASCII.GetBytes($"{block.Length:x}\r\n"), answered.Token);
                    }

                    await tls.WriteAsync(block, answered.Token);
                    if (chunked)
                    {
                        await tls.WriteAsync("\r\n"u8.ToArray(), answered.Token);
                    }

                    Interlocked.Add(ref sent, block.Length);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The panel answered and closed the connection: what was not sent is the point.
            }
        });
        var buffer = new byte[8192];
        var text = new StringBuilder();
        int read;
        while (!text.ToString().Contains("\"status\"", StringComparison.Ordinal)
            && (read = await tls.ReadAsync(buffer, answered.Token)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await answered.CancelAsync();
        await writer;
        return new RawAnswer(text.ToString(), Interlocked.Read(ref sent));
    }

    private async Task<AcmeTestClient> AccountAsync()
    {
        var client = await AcmeTestClient.OpenAsync(Lab.DirectoryUrl);
        var made = await client.NewAccountAsync(await Lab.CreateEabKeyAsync());
        Assert.True(made.Status == 201, made.Text);
        return client;
    }

    private static async Task<(AcmeTestClient.Reply Authorization, JsonNode Challenge)> AnswerAsync(AcmeTestClient client, string name)
    {
        var order = await client.NewOrderAsync(("dns", name));
        var authorizationUrl = order.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.GetAsync(authorizationUrl)).Json!["challenges"]![0]!;
        await client.PostAsync(challenge["url"]!.GetValue<string>(), "{}");
        var authorization = await client.PollAsync(authorizationUrl);
        return (authorization, authorization.Json!["challenges"]![0]!);
    }

    private static string Order(string name) => new JsonObject { ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = name }) }.ToJsonString();

    private async Task<int> CountOrdersAsync()
    {
        await using var db = Lab.Storage.CreateContext();
        return await db.AcmeOrders.CountAsync();
    }
}
