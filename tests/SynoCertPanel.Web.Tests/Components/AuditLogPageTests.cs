using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components;

public sealed class AuditLogPageTests : PanelComponentTest
{
    private static string[] Actions(IRenderedComponent<AuditLogPage> page) =>
        page.FindAll("[data-testid=audit-table] tbody tr.mud-table-row").Select(r => r.QuerySelectorAll("td")[2].TextContent.Trim()).ToArray();

    [Fact]
    public async Task Render_Operations_ListsThemNewestFirst()
    {
        var first = await SeedAsync("nas1.home.arpa");
        await new Core.Inventory.InventoryService(Storage, Time).DeleteAsync(first.CertificateId, force: false, UserName);

        var page = Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Equal(
            ["certificate.delete", "certificate.create-self-signed", "authority.create"], Actions(page)));
        Assert.Contains(UserName, page.Find("[data-testid=audit-table] tbody tr.mud-table-row").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_CertificateFilter_ListsOnlyThatCertificatesEvents()
    {
        var first = await SeedAsync("nas1.home.arpa");
        var second = await SeedAsync("nas2.home.arpa");
        var inventory = new Core.Inventory.InventoryService(Storage, Time);
        await inventory.SetDefaultAsync(first.CertificateId, UserName);
        await inventory.SetDefaultAsync(second.CertificateId, UserName);
        await inventory.DescribeAsync(first.CertificateId, "NAS one", UserName);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("certificate", first.CertificateId));

        var page = Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Equal(["certificate.describe", "certificate.set-default", "certificate.create-self-signed"], Actions(page)));
        Assert.All(page.FindAll("[data-testid=audit-table] tbody tr.mud-table-row"),
            r => Assert.Contains("nas1.home.arpa", r.TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_RefusedOperation_ShowsOutcomeAndReason()
    {
        var seeded = await SeedAsync("nas1.home.arpa", setAsDefault: true);
        await new Core.Inventory.InventoryService(Storage, Time).DeleteAsync(seeded.CertificateId, force: false, UserName);

        var page = Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Equal("certificate.delete", Actions(page)[0]));
        var refused = page.Find("[data-testid=audit-table] tbody tr.mud-table-row");
        Assert.Contains("Refused", refused.TextContent, StringComparison.Ordinal);
        Assert.Contains("make another one the default first", refused.TextContent, StringComparison.Ordinal);
    }
}
