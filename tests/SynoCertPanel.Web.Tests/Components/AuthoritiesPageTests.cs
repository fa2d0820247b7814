using Bunit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components;

public sealed class AuthoritiesPageTests : PanelComponentTest
{
    [Fact]
    public async Task Render_HeldAuthorities_ShowsIssuedCountsAndNameConstraints()
    {
        await SeedAsync("nas1.home.arpa", rootName: "Open Root");
        var constraints = NameConstraints.Create(["home.arpa"], ["192.168.0.0/16"]).Value;
        var created = await new AuthorityService(Storage, Time).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Lab Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            NameConstraints = constraints,
        }, UserName);
        Assert.True(created.IsSuccess, created.Error);

        var page = Render<AuthoritiesPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=authority-table] tbody tr.mud-table-row").Count));
        var rows = page.FindAll("[data-testid=authority-table] tbody tr.mud-table-row");
        var open = rows.Single(r => r.TextContent.Contains("Open Root", StringComparison.Ordinal));
        var lab = rows.Single(r => r.TextContent.Contains("Lab Root", StringComparison.Ordinal));
        Assert.Equal("1", open.QuerySelector("[data-testid=issued-count]")!.TextContent.Trim());
        Assert.Contains("may sign for any name", open.TextContent, StringComparison.Ordinal);
        Assert.Equal("0", lab.QuerySelector("[data-testid=issued-count]")!.TextContent.Trim());
        Assert.Contains("DNS: home.arpa", lab.TextContent, StringComparison.Ordinal);
        Assert.Contains("IP: 192.168.0.0/16", lab.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoAuthorities_SaysHowToMakeOne()
    {
        var page = Render<AuthoritiesPage>();

        page.WaitForAssertion(() => Assert.Contains("No CA is held here yet", page.Markup, StringComparison.Ordinal));
    }
}
