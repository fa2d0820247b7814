using Bunit;
using SynoCertPanel.Web.Components.Boxes;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>The home page's watched endpoints: worst first across boxes, a link to the Boxes page, and how to start.</summary>
public sealed class BoxesDashboardTests : BoxesComponentTest
{
    [Fact]
    public void HomePage_NoBox_SaysHowToAddOneAndLinksToBoxes()
    {
        var page = Render<CertificatesPage>();

        var empty = page.WaitForElement("[data-testid=box-dashboard-empty]");
        Assert.Contains("use Add box", empty.TextContent, StringComparison.Ordinal);
        Assert.Equal("/boxes", page.Find("[data-testid=box-dashboard-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task Dashboard_EndpointsAcrossBoxes_WorstFirstDisabledLeftOut()
    {
        var nas = await AddBoxAsync("nas2", ["nas2.lan"], ["nas2.lan:5001", "nas2.lan:443"]);
        var router = await AddBoxAsync("router", ["router.lan"], ["router.lan:443"]);
        var pi = await AddBoxAsync("pi", ["pi.lan"], ["pi.lan:443"]);
        var off = await AddBoxAsync("old", ["old.lan"], ["old.lan:443"]);
        await SetStateAsync(nas.Endpoints[0].Id, "ok", "fine");
        await SetStateAsync(nas.Endpoints[1].Id, "expiring-30", "renew");
        await SetStateAsync(router.Endpoints[0].Id, "untrusted", "unknown root");
        await SetStateAsync(pi.Endpoints[0].Id, "unreachable", "refused");
        await SetStateAsync(off.Endpoints[0].Id, "expired", "expired");
        Assert.True((await Boxes.SetEnabledAsync("old", false, UserName)).IsSuccess);

        var dashboard = Render<BoxesDashboard>();

        dashboard.WaitForAssertion(() => Assert.Equal(
            [$"box-dashboard-row-{pi.Endpoints[0].Id}", $"box-dashboard-row-{router.Endpoints[0].Id}", $"box-dashboard-row-{nas.Endpoints[1].Id}", $"box-dashboard-row-{nas.Endpoints[0].Id}"],
            dashboard.FindAll("[data-testid^=box-dashboard-row-]").Select(r => r.GetAttribute("data-testid"))));
        Assert.Equal(["Unreachable", "Untrusted", "Expiring (30 days)", "OK"], dashboard.FindAll("[data-testid^=endpoint-state-]").Select(c => c.TextContent.Trim()));
    }

    [Fact]
    public async Task Dashboard_MoreThanTheLimit_SaysHowManyMoreOnTheBoxesPage()
    {
        var watch = Enumerable.Range(1, BoxesDashboard.Limit + 2).Select(i => $"nas2.lan:{5000 + i}").ToArray();
        await AddBoxAsync("nas2", ["nas2.lan"], watch);

        var dashboard = Render<BoxesDashboard>();

        dashboard.WaitForAssertion(() => Assert.Equal(BoxesDashboard.Limit, dashboard.FindAll("[data-testid^=box-dashboard-row-]").Count));
        Assert.Equal("2 more on the Boxes page.", dashboard.Find("[data-testid=box-dashboard-more]").TextContent);
    }
}
