using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Tests.Api;

namespace SynoCertPanel.Web.Tests.Metrics;

/// <summary>/metrics on a real panel about its boxes: each watched endpoint's last probe, deploys from the stored history, probe rounds.</summary>
public sealed class BoxMetricsTests : IAsyncLifetime
{
    private const string Boxes = "/api/v1/boxes";

    private ApiPanel _api = null!;
    private string _deployer = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _deployer = (await _api.CreateTokenAsync("deployer", ApiScopes.BoxesDeploy, ApiScopes.CertificatesRead)).Secret;
        await MetricsText.EnableAsync(_api, "127.0.0.0/8");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task AfterACheck_EachEndpointHasItsStateServedExpiryAndLastProbe_OnlyBoxAndEndpointLabels()
    {
        var port = _api.Panel.Port;
        var panelEndpoint = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        // The panel's own listener serves charlie.home.arpa (the seed's default); nothing listens on port 1.
        await AddBoxAsync("self", ["charlie.home.arpa", "127.0.0.1"], [panelEndpoint, "127.0.0.1:1"]);
        await AddBoxAsync("later", ["::1"], ["[::1]:2"]);
        await AddBoxAsync("off", ["10.0.0.9"], ["10.0.0.9:443"]);
        Assert.True((await WithBoxService(b => b.SetEnabledAsync("off", false, "test"))).IsSuccess);
        var roundsBefore = MetricsText.Sample(await ScrapeAsync(), "synocertpanel_probe_round_duration_seconds_count{round=\"box\"}");

        var checks = await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, $"{Boxes}/self/check", _deployer, null), HttpStatusCode.OK);
        var text = await ScrapeAsync();

        var served = checks.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("endpoint").GetString() == panelEndpoint).GetProperty("state").GetString();
        Assert.NotEqual("unreachable", served);
        Assert.Equal(1, MetricsText.Sample(text, $"synocertpanel_endpoint_state{{box=\"self\",endpoint=\"{panelEndpoint}\",state=\"{served}\"}}"));
        Assert.Equal(1, MetricsText.Sample(text, "synocertpanel_endpoint_state{box=\"self\",endpoint=\"127.0.0.1:1\",state=\"unreachable\"}"));
        Assert.Equal(1, MetricsText.Sample(text, "synocertpanel_endpoint_state{box=\"later\",endpoint=\"[::1]:2\",state=\"not-probed\"}"));
        Assert.Equal(3, MetricsText.Samples(text, "synocertpanel_endpoint_state").Count);
        Assert.DoesNotContain("box=\"off\"", string.Join('\n', MetricsText.Samples(text, "synocertpanel_endpoint_state")), StringComparison.Ordinal);

        var (_, charlieNotAfter) = await MetricsText.CertificateAsync(_api, "charlie.home.arpa");
        Assert.Equal(charlieNotAfter.ToUnixTimeSeconds(),
            MetricsText.Sample(text, $"synocertpanel_endpoint_served_expiry_timestamp_seconds{{box=\"self\",endpoint=\"{panelEndpoint}\"}}"));
        // Expiry only where a certificate was served; the last probe wherever a probe ran.
        Assert.Single(MetricsText.Samples(text, "synocertpanel_endpoint_served_expiry_timestamp_seconds"));
        var probes = MetricsText.Samples(text, "synocertpanel_endpoint_last_probe_timestamp_seconds");
        Assert.Equal(2, probes.Count);
        Assert.All(probes, p => Assert.InRange(double.Parse(p[(p.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));

        Assert.Equal(1, MetricsText.Sample(text, "synocertpanel_endpoints{state=\"unreachable\"}"));
        Assert.Equal(1, MetricsText.Sample(text, "synocertpanel_endpoints{state=\"not-probed\"}"));
        Assert.Equal(0, MetricsText.Sample(text, "synocertpanel_endpoints{state=\"expired\"}"));
        Assert.Equal(2, MetricsText.Sample(text, "synocertpanel_boxes{state=\"enabled\"}"));
        Assert.Equal(1, MetricsText.Sample(text, "synocertpanel_boxes{state=\"disabled\"}"));
        Assert.Equal(roundsBefore + 1, MetricsText.Sample(text, "synocertpanel_probe_round_duration_seconds_count{round=\"box\"}"));
        await MetricsText.AssertPromtoolAcceptsAsync(text);
    }

    [Fact]
    public async Task StateChangeAndDelete_EndTheOldSeries()
    {
        await AddBoxAsync("nas", ["127.0.0.1"], ["127.0.0.1:1"]);
        Assert.Equal(1, MetricsText.Sample(await ScrapeAsync(), "synocertpanel_endpoint_state{box=\"nas\",endpoint=\"127.0.0.1:1\",state=\"not-probed\"}"));

        await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, $"{Boxes}/nas/check", _deployer, null), HttpStatusCode.OK);
        var probed = await ScrapeAsync();

        Assert.Equal("synocertpanel_endpoint_state{box=\"nas\",endpoint=\"127.0.0.1:1\",state=\"unreachable\"} 1",
            Assert.Single(MetricsText.Samples(probed, "synocertpanel_endpoint_state")));

        await ApiCalls.JsonAsync(await _api.SendAsync(HttpMethod.Delete, $"{Boxes}/nas", $"Bearer {_deployer}"), HttpStatusCode.OK);
        var deleted = await ScrapeAsync();

        Assert.DoesNotContain("box=\"nas\"", deleted, StringComparison.Ordinal);
        Assert.Equal(0, MetricsText.Sample(deleted, "synocertpanel_endpoints{state=\"unreachable\"}"));
        Assert.Equal(0, MetricsText.Sample(deleted, "synocertpanel_boxes{state=\"enabled\"}"));
    }

    [Fact]
    public async Task Deploys_AreCountedFromTheStoredHistory_WithTheLatestDeploysOutcomeAndTime()
    {
        var box = await AddBoxAsync("hook", ["127.0.0.1"], ["127.0.0.1:1"], """, "delivery": "webhook", "settings": { "url": "http://127.0.0.1:1/hook" }, "secrets": { "secret": "s3cret-for-the-hmac" }""");
        var alphaId = await _api.CertificateIdAsync("alpha.home.arpa");
        var idle = await ScrapeAsync();
        foreach (var outcome in new[] { "succeeded", "failed", "rolled-back", "unfinished" })
        {
            Assert.Equal(0, MetricsText.Sample(idle, $"synocertpanel_box_deploys_total{{box=\"hook\",outcome=\"{outcome}\"}}"));
        }

        Assert.Empty(MetricsText.Samples(idle, "synocertpanel_box_last_deploy_timestamp_seconds"));

        // Nothing listens on the webhook's port: a real deploy that fails at delivery.
        var deployed = await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, $"{Boxes}/hook/deploy", _deployer,
            string.Create(CultureInfo.InvariantCulture, $$"""{ "certificateId": {{alphaId}} }""")), HttpStatusCode.OK);
        Assert.Equal("failed", deployed.GetProperty("outcome").GetString());
        // History written before this run (another process, an earlier life of the panel) counts as well.
        var earlier = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        await using (var db = _api.Storage.CreateContext())
        {
            foreach (var (outcome, days) in new[] { (DeploymentOutcome.Succeeded, 0), (DeploymentOutcome.Succeeded, 1), (DeploymentOutcome.RolledBack, 2), (DeploymentOutcome.Unfinished, 3) })
            {
                db.Deployments.Add(new DeploymentRecord { BoxId = box, StartedAt = earlier.AddDays(days), FinishedAt = earlier.AddDays(days).AddSeconds(30), Outcome = outcome, Actor = "test" });
            }

            await db.SaveChangesAsync();
        }

        var text = await ScrapeAsync();

        Assert.Equal(2, MetricsText.Sample(text, "synocertpanel_box_deploys_total{box=\"hook\",outcome=\"succeeded\"}"));
        Assert.Equal(1, MetricsText.Sample(text, "synocertpanel_box_deploys_total{box=\"hook\",outcome=\"failed\"}"));
        Assert.Equal(1, MetricsText.Sample(text, "synocertpanel_box_deploys_total{box=\"hook\",outcome=\"rolled-back\"}"));
        Assert.Equal(1, MetricsText.Sample(text, "synocertpanel_box_deploys_total{box=\"hook\",outcome=\"unfinished\"}"));
        // The latest by id: the rows written after the failed deploy, the last of them unfinished.
        Assert.Equal(earlier.AddDays(3).AddSeconds(30).ToUnixTimeSeconds(),
            MetricsText.Sample(text, "synocertpanel_box_last_deploy_timestamp_seconds{box=\"hook\",outcome=\"unfinished\"}"));
        Assert.Single(MetricsText.Samples(text, "synocertpanel_box_last_deploy_timestamp_seconds"));

        // A deploy still running is the latest, with its start; it is counted once it has ended.
        var started = DateTimeOffset.UtcNow;
        await using (var db = _api.Storage.CreateContext())
        {
            db.Deployments.Add(new DeploymentRecord { BoxId = box, StartedAt = started, Outcome = DeploymentOutcome.Running, Actor = "test" });
            await db.SaveChangesAsync();
        }

        var running = await ScrapeAsync();
        Assert.Equal(started.ToUnixTimeSeconds(), MetricsText.Sample(running, "synocertpanel_box_last_deploy_timestamp_seconds{box=\"hook\",outcome=\"running\"}"));
        Assert.Single(MetricsText.Samples(running, "synocertpanel_box_last_deploy_timestamp_seconds"));
        Assert.Equal(4, MetricsText.Samples(running, "synocertpanel_box_deploys_total").Count);
        await MetricsText.AssertPromtoolAcceptsAsync(running);
    }

    [Fact]
    public async Task ScheduledRound_IsObservedAsAnAllBoxesRound()
    {
        await AddBoxAsync("nas", ["127.0.0.1"], ["127.0.0.1:1", "127.0.0.1:2"]);
        var before = await ScrapeAsync();
        var count = MetricsText.Sample(before, "synocertpanel_probe_round_duration_seconds_count{round=\"all\"}");
        var sum = MetricsText.Sample(before, "synocertpanel_probe_round_duration_seconds_sum{round=\"all\"}");

        await using (var scope = _api.Panel.Services.CreateAsyncScope())
        {
            Assert.Equal(2, (await scope.ServiceProvider.GetRequiredService<BoxWatch>().CheckAllAsync()).Count);
        }

        var after = await ScrapeAsync();
        Assert.Equal(count + 1, MetricsText.Sample(after, "synocertpanel_probe_round_duration_seconds_count{round=\"all\"}"));
        Assert.InRange(MetricsText.Sample(after, "synocertpanel_probe_round_duration_seconds_sum{round=\"all\"}") - sum, 0.0001, 30);
        Assert.Equal(count + 1, MetricsText.Sample(after, "synocertpanel_probe_round_duration_seconds_bucket{round=\"all\",le=\"+Inf\"}"));
    }

    private async Task<int> AddBoxAsync(string name, string[] addresses, string[] watch, string extra = "")
    {
        var json = $$"""{ "name": "{{name}}", "addresses": [{{string.Join(", ", addresses.Select(a => $"\"{a}\""))}}], "watch": [{{string.Join(", ", watch.Select(w => $"\"{w}\""))}}]{{extra}} }""";
        var created = await ApiCalls.JsonAsync(await _api.SendJsonAsync(HttpMethod.Post, Boxes, _deployer, json), HttpStatusCode.Created);
        return created.GetProperty("id").GetInt32();
    }

    private async Task<T> WithBoxService<T>(Func<BoxService, Task<T>> use)
    {
        await using var scope = _api.Panel.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<BoxService>());
    }

    private async Task<string> ScrapeAsync()
    {
        var response = await _api.GetAsync("/metrics", token: null, accept: "text/plain");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
