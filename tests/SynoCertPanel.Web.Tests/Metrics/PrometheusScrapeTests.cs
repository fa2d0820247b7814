using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Tests.Api;

namespace SynoCertPanel.Web.Tests.Metrics;

/// <summary>
/// A real Prometheus scrapes the panel's /metrics over HTTPS, trusting only the panel's CA and sending a metrics:read
/// token from a file, as a home lab's Prometheus would; its query API then answers with the expiry of a known certificate
/// and the state of a box's watched endpoint.
/// </summary>
public sealed class PrometheusScrapeTests : IAsyncLifetime
{
    private ApiPanel _api = null!;

    public async Task InitializeAsync() => _api = await ApiPanel.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Prometheus_ScrapesOverHttpsWithToken_QueryReturnsCertificateExpiryAndEndpointState()
    {
        await MetricsText.EnableAsync(_api);
        var token = await _api.CreateTokenAsync("prometheus", ApiScopes.MetricsRead);
        var (alphaId, alphaNotAfter) = await MetricsText.CertificateAsync(_api, "alpha.home.arpa");
        // The seed made charlie.home.arpa the default, so the listener serves it, issued by its own root.
        var caPem = await MetricsText.CertificatePemAsync(_api, "charlie.home.arpa Root CA");
        await using (var scope = _api.Panel.Services.CreateAsyncScope())
        {
            // Nothing listens on port 1: the probe finds the box unreachable.
            Assert.True((await scope.ServiceProvider.GetRequiredService<BoxService>().AddAsync(
                new BoxDraft { Name = "nas", Addresses = ["127.0.0.1"], Watch = ["127.0.0.1:1"] }, "test")).IsSuccess);
            Assert.True((await scope.ServiceProvider.GetRequiredService<BoxWatch>().CheckAsync("nas")).IsSuccess);
        }

        var scrape = string.Create(CultureInfo.InvariantCulture, $"""
              - job_name: panel
                scheme: https
                metrics_path: /metrics
                tls_config:
                  ca_file: panel-ca.pem
                  server_name: charlie.home.arpa
                authorization:
                  type: Bearer
                  credentials_file: panel-token
                static_configs:
                  - targets: ['127.0.0.1:{_api.Panel.Port}']

            """);

        await using var prometheus = await PrometheusServer.StartAsync(scrape,
            new Dictionary<string, string> { ["panel-ca.pem"] = caPem, ["panel-token"] = token.Secret });
        var samples = await prometheus.QueryUntilFoundAsync(
            string.Create(CultureInfo.InvariantCulture, $"synocertpanel_certificate_expiry_seconds{{id=\"{alphaId}\"}}"), TimeSpan.FromSeconds(30));

        var (labels, value) = Assert.Single(samples);
        Assert.Equal("alpha.home.arpa", labels["common_name"]);
        Assert.Equal("panel", labels["job"]);
        var expected = (alphaNotAfter - DateTimeOffset.UtcNow).TotalSeconds;
        Assert.InRange(value, expected - 60, expected + 60);
        var (endpointLabels, endpointValue) = Assert.Single(await prometheus.QueryUntilFoundAsync(
            "synocertpanel_endpoint_state{box=\"nas\"}", TimeSpan.FromSeconds(5)));
        Assert.Equal(("127.0.0.1:1", "unreachable", 1.0), (endpointLabels["endpoint"], endpointLabels["state"], endpointValue));
        var up = await prometheus.QueryUntilFoundAsync("up{job=\"panel\"}", TimeSpan.FromSeconds(5));
        Assert.Equal(1, Assert.Single(up).Value);
    }
}
