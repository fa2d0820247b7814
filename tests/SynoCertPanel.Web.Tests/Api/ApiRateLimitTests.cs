using System.Net;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Api;

public sealed class ApiRateLimitTests : IAsyncLifetime
{
    private ApiPanel _api = null!;

    public async Task InitializeAsync() => _api = await ApiPanel.StartAsync(["--SynoCertPanel:Api:RequestsPerMinute=3"]);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TooManyCalls_Are429WithRetryAfter_ForThatTokenOnly()
    {
        var busy = await _api.CreateTokenAsync("busy", ApiScopes.CertificatesRead);
        var quiet = await _api.CreateTokenAsync("quiet", ApiScopes.CertificatesRead);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/certificates", busy.Secret)).StatusCode);
        }

        var refused = await _api.GetAsync("/api/v1/certificates", busy.Secret);
        var other = await _api.GetAsync("/api/v1/certificates", quiet.Secret);

        Assert.StartsWith("This token made more than 3 calls in a minute; try again in ", await ApiPanel.ProblemDetailAsync(refused, 429), StringComparison.Ordinal);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
