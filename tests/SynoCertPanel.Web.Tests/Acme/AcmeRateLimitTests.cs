using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>The hourly limits per client address and per account, with limits lowered on a panel of the test's own.</summary>
public sealed class AcmeRateLimitTests
{
    private const string RateLimited = "urn:ietf:params:acme:error:rateLimited";

    [Fact]
    public async Task NewAccount_OverTheLimitFromOneAddress_IsRateLimitedWithRetryAfter()
    {
        await using var lab = await AcmeLab.StartAsync();
        (Limits(lab) with { AccountsPerAddress = 2 }).Apply(lab);

        for (var i = 0; i < 2; i++)
        {
            using var client = await AcmeTestClient.OpenAsync(lab.DirectoryUrl);
            Assert.Equal(201, (await client.NewAccountAsync(await lab.CreateEabKeyAsync())).Status);
        }

        using var third = await AcmeTestClient.OpenAsync(lab.DirectoryUrl);
        var refused = await third.NewAccountAsync(await lab.CreateEabKeyAsync());

        Assert.Equal(429, refused.Status);
        Assert.Equal(RateLimited, refused.ProblemType);
        Assert.Contains("2 new accounts from 127.0.0.1 in an hour", refused.Detail, StringComparison.Ordinal);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Equal(2, (await lab.Directories.AccountsAsync(lab.AuthorityId)).Value.Count);
    }

    [Fact]
    public async Task NewOrder_OverTheLimitPerAccountOrPerAddress_IsRateLimited()
    {
        await using var lab = await AcmeLab.StartAsync();
        (Limits(lab) with { OrdersPerAccount = 2, OrdersPerAddress = 3 }).Apply(lab);
        using var first = await AccountAsync(lab);
        using var second = await AccountAsync(lab);

        Assert.Equal(201, (await first.NewOrderAsync(("dns", "a.home.arpa"))).Status);
        Assert.Equal(201, (await first.NewOrderAsync(("dns", "b.home.arpa"))).Status);
        var perAccount = await first.NewOrderAsync(("dns", "c.home.arpa"));
        Assert.Equal(201, (await second.NewOrderAsync(("dns", "d.home.arpa"))).Status);
        var perAddress = await second.NewOrderAsync(("dns", "e.home.arpa"));

        Assert.Equal(RateLimited, perAccount.ProblemType);
        Assert.Contains("2 new orders per account in an hour", perAccount.Detail, StringComparison.Ordinal);
        Assert.NotNull(perAccount.RetryAfter);
        Assert.Equal(RateLimited, perAddress.ProblemType);
        Assert.Contains("3 new orders from 127.0.0.1 in an hour", perAddress.Detail, StringComparison.Ordinal);
        Assert.Equal(3, (await lab.Directories.OrdersAsync(lab.AuthorityId)).Value.Count);
    }

    [Fact]
    public async Task NewOrder_AfterTooManyFailedValidations_IsRateLimited()
    {
        await using var lab = await AcmeLab.StartAsync();
        (Limits(lab) with { FailedValidationsPerAccount = 1 }).Apply(lab);
        await using var box = ChallengeServer.Start();
        await lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        await lab.ResolveAsync("fail.home.arpa=127.0.0.1");
        using var client = await AccountAsync(lab);
        var failing = await client.NewOrderAsync(("dns", "fail.home.arpa"));
        var waiting = await client.NewOrderAsync(("dns", "fail2.home.arpa"));
        var authorization = failing.Json!["authorizations"]![0]!.GetValue<string>();
        var challenge = (await client.GetAsync(authorization)).Json!["challenges"]![0]!;

        await client.PostAsync(challenge["url"]!.GetValue<string>(), "{}");
        Assert.Equal("invalid", (await client.PollAsync(authorization)).Status_);
        var next = await client.NewOrderAsync(("dns", "fail.home.arpa"));
        var otherChallenge = (await client.GetAsync(waiting.Json!["authorizations"]![0]!.GetValue<string>())).Json!["challenges"]![0]!;
        var retried = await client.PostAsync(otherChallenge["url"]!.GetValue<string>(), "{}");

        Assert.Equal(RateLimited, next.ProblemType);
        Assert.Contains("1 failed validations per account in an hour", next.Detail, StringComparison.Ordinal);
        Assert.Equal(RateLimited, retried.ProblemType);
        Assert.Equal(2, (await lab.Directories.OrdersAsync(lab.AuthorityId)).Value.Count);
        Assert.Equal("pending", (await client.GetAsync(otherChallenge["url"]!.GetValue<string>())).Status_);
    }

    private static AcmeLimits Limits(AcmeLab lab) => lab.Panel.Services.GetRequiredService<AcmeRateLimits>().Limits;

    private static async Task<AcmeTestClient> AccountAsync(AcmeLab lab)
    {
        var client = await AcmeTestClient.OpenAsync(lab.DirectoryUrl);
        var made = await client.NewAccountAsync(await lab.CreateEabKeyAsync());
        Assert.True(made.Status == 201, made.Text);
        return client;
    }
}

internal static class AcmeLimitsInLab
{
    public static void Apply(this AcmeLimits limits, AcmeLab lab) => lab.Panel.Services.GetRequiredService<AcmeRateLimits>().Limits = limits;
}
