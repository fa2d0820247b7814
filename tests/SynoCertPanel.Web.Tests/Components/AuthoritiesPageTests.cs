using Bunit;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;
using SynoCertPanel.Web.Components.Common;
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
        Assert.Empty(page.FindAll("[data-testid=ca-no-ip]"));
    }

    [Fact]
    public async Task Render_RootWithDnsSuffixesOnly_SaysItMaySignNoIpAddress()
    {
        var created = await new AuthorityService(Storage, Time).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Names Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            NameConstraints = NameConstraints.Create(["home.arpa"], []).Value,
        }, UserName);
        Assert.True(created.IsSuccess, created.Error);

        var page = Render<AuthoritiesPage>();

        var chip = page.WaitForElement("[data-testid=ca-no-ip]");
        Assert.Equal("No IP addresses", chip.TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=ca-no-dns]"));
    }

    [Fact]
    public async Task Select_Authority_ListsTheCertificatesItSignedWithLinks()
    {
        var first = await SeedAsync("nas1.home.arpa", rootName: "First Root");
        var second = await SeedAsync("nas2.home.arpa", description: "<b>second</b>", rootName: "Second Root");
        var page = Render<AuthoritiesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=authority-table] tbody tr.mud-table-row").Count));
        Assert.Empty(page.FindAll("[data-testid=issued-list]"));

        Row(page, "Second Root").Click();

        var link = page.WaitForElement($"[data-testid=issued-{second.CertificateId}]");
        Assert.Equal($"/?certificate={second.CertificateId}", link.GetAttribute("href"));
        Assert.Equal("<b>second</b>", link.TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=issued-list] b"));
        Assert.Single(page.FindAll("[data-testid=issued-list] tbody tr.mud-table-row"));
        Assert.Empty(page.FindAll($"[data-testid=issued-{first.CertificateId}]"));

        Row(page, "First Root").Click();

        page.WaitForElement($"[data-testid=issued-{first.CertificateId}]");
        Assert.Empty(page.FindAll($"[data-testid=issued-{second.CertificateId}]"));
    }

    [Fact]
    public async Task Download_Authority_SavesItsCertificateAsCrt()
    {
        var seeded = await SeedAsync("nas1.home.arpa", rootName: "Crt Root");
        var saved = new List<(string Name, string Text)>();
        JSInterop.SetupVoid(BrowserFiles.SaveFunction, invocation =>
        {
            using var copy = new MemoryStream();
            ((Microsoft.JSInterop.DotNetStreamReference)invocation.Arguments[2]!).Stream.CopyTo(copy);
            saved.Add(((string)invocation.Arguments[0]!, System.Text.Encoding.ASCII.GetString(copy.ToArray())));
            return true;
        }).SetVoidResult();
        var page = Render<AuthoritiesPage>();

        page.WaitForElement($"[data-testid=download-ca-{seeded.AuthorityId}]").Click();

        page.WaitForAssertion(() => Assert.Single(saved));
        Assert.Equal("Crt_Root.crt", saved[0].Name);
        var certificate = Pki.Formats.CertificateReader.ReadAll(System.Text.Encoding.ASCII.GetBytes(saved[0].Text));
        Assert.Equal("Crt Root", Assert.Single(certificate.Value).Subject.CommonName);
        Assert.DoesNotContain("PRIVATE KEY", saved[0].Text, StringComparison.Ordinal);
        Assert.Equal("/trust", page.Find("[data-testid=trust-link]").GetAttribute("href"));
        Assert.Equal("/authorities/create", page.Find("[data-testid=create-authority]").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_StartUpCaAndOwnCa_OwnFirstStartUpMarkedAndNotRetiredWhileServed()
    {
        await SeedStartUpAsync();
        var own = await SeedAsync("nas1.home.arpa", rootName: "Lab Root CA");

        var page = Render<AuthoritiesPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=authority-table] tbody tr.mud-table-row").Count));
        var rows = page.FindAll("[data-testid=authority-table] tbody tr.mud-table-row");
        Assert.Contains("Lab Root CA", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Null(rows[0].QuerySelector("[data-testid^=temporary-]"));
        Assert.Equal("Temporary (panel start-up)", rows[1].QuerySelector("[data-testid^=temporary-]")!.TextContent.Trim());
        page.WaitForAssertion(() => Assert.Contains("still serves a certificate from this CA", page.Find("[data-testid=retire-refusal]").TextContent,
            StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=retire-bootstrap]"));
        Assert.Equal(own.AuthorityId, (await new AuthorityService(Storage, Time).ListAsync())[0].Id);
    }

    [Fact]
    public async Task Retire_OwnCertificateServed_ConfirmedStartUpCaAndItsCertificateGone()
    {
        var startUp = await SeedStartUpAsync();
        var own = await SeedAsync("nas1.home.arpa", rootName: "Lab Root CA", setAsDefault: true);
        var page = Render<AuthoritiesPage>();
        page.WaitForElement("[data-testid=retire-bootstrap]").Click();

        page.WaitForElement("[data-testid=retire-confirm]").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=authority-table] tbody tr.mud-table-row")));
        Assert.Empty(page.FindAll("[data-testid^=bootstrap-notice-]"));
        Assert.Contains("Lab Root CA", page.Find("[data-testid=authority-table] tbody tr.mud-table-row").TextContent, StringComparison.Ordinal);
        await using var db = Storage.CreateContext();
        Assert.False(await db.Certificates.AnyAsync(c => c.Id == startUp));
        Assert.Equal([own.AuthorityCertificateId, own.CertificateId], await db.Certificates.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());
    }

    [Fact]
    public void Render_NoAuthorities_SaysHowToMakeOne()
    {
        var page = Render<AuthoritiesPage>();

        page.WaitForAssertion(() => Assert.Contains("No CA is held here yet", page.Markup, StringComparison.Ordinal));
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<AuthoritiesPage> page, string subject) =>
        page.FindAll("[data-testid=authority-table] tbody tr.mud-table-row").Single(r => r.TextContent.Contains(subject, StringComparison.Ordinal));
}
