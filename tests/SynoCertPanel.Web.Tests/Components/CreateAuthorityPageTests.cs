using System.Text;
using Bunit;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;
using SynoCertPanel.Web.Components.Common;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components;

public sealed class CreateAuthorityPageTests : PanelComponentTest
{
    [Fact]
    public async Task Create_WithoutConstraints_StoresARootWithTheChosenNameKeyAndValidity()
    {
        var page = RenderPage();
        page.Find("input[data-testid=ca-cn]").Change("Home Lab Root");
        page.Find("input[data-testid=ca-org]").Change("Home");
        page.Find("input[data-testid=ca-country]").Change("DE");
        page.Find("input[data-testid=ca-key-p256]").Click();
        page.Find("input[data-testid=ca-validity]").Change("365");

        page.Find("[data-testid=ca-create]").Click();

        page.WaitForElement("[data-testid=ca-created]", TimeSpan.FromSeconds(20));
        Assert.Equal("/trust", page.Find("[data-testid=ca-trust-link]").GetAttribute("href"));
        var root = await StoredRootAsync();
        Assert.Equal("Home Lab Root", root.Subject.CommonName);
        Assert.Equal("Home", root.Subject.Organization);
        Assert.Equal("DE", root.Subject.Country);
        Assert.Equal("ECDSA P-256", root.PublicKey.ToString());
        Assert.Equal(365, (root.NotAfter - root.NotBefore).TotalDays);
        Assert.True(root.NameConstraints is null || root.NameConstraints.IsEmpty);
    }

    [Fact]
    public async Task Create_WithConstraints_StoresThemInTheCertificate()
    {
        var page = RenderPage();
        page.Find("input[data-testid=ca-cn]").Change("Constrained Root");
        page.Find("input[data-testid=ca-key-p256]").Click();
        AddDns(page, ".Home.Arpa");
        AddIp(page, "192.168.0.0/16");
        AddIp(page, "fd00::/8");

        Assert.Equal(["home.arpa"], page.FindAll("[data-testid=ca-dns-chip]").Select(c => c.TextContent.Trim()));
        Assert.Equal(["192.168.0.0/16", "fd00::/8"], page.FindAll("[data-testid=ca-ip-chip]").Select(c => c.TextContent.Trim()));
        page.Find("[data-testid=ca-create]").Click();

        page.WaitForElement("[data-testid=ca-created]", TimeSpan.FromSeconds(20));
        var root = await StoredRootAsync();
        Assert.Equal(["home.arpa"], root.NameConstraints!.PermittedDnsSuffixes);
        Assert.Equal(["192.168.0.0/16", "fd00::/8"], root.NameConstraints.PermittedIpRanges.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("dns", "bad suffix!")]
    [InlineData("dns", "*.home.arpa")]
    [InlineData("ip", "192.168.1.1/16")]
    [InlineData("ip", "10.0.0.0/33")]
    [InlineData("ip", "<script>/8")]
    public async Task Constraint_Bad_RefusedWithTheEngineMessageAndNotAdded(string kind, string entry)
    {
        var page = RenderPage();

        if (kind == "dns")
        {
            AddDns(page, entry);
        }
        else
        {
            AddIp(page, entry);
        }

        var expected = kind == "dns" ? NameConstraints.Create([entry], []) : NameConstraints.Create([], [entry]);
        Assert.False(expected.IsSuccess);
        Assert.Equal(expected.Error, page.Find("[data-testid=ca-constraint-error]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=ca-dns-chip], [data-testid=ca-ip-chip]"));
        Assert.Empty(page.FindAll("[data-testid=ca-constraint-error] script"));
        await using var db = Storage.CreateContext();
        Assert.Equal(0, await db.Authorities.CountAsync());
    }

    [Fact]
    public void Constraint_HomeNetworkSet_FillsBothLists()
    {
        var page = RenderPage();

        page.Find("[data-testid=ca-homelab]").Click();

        Assert.Equal(NameConstraints.HomeLab.PermittedDnsSuffixes, page.FindAll("[data-testid=ca-dns-chip]").Select(c => c.TextContent.Trim()));
        Assert.Equal(NameConstraints.HomeLab.PermittedIpRanges.Select(r => r.ToString()),
            page.FindAll("[data-testid=ca-ip-chip]").Select(c => c.TextContent.Trim()));
        page.FindAll("[data-testid=ca-ip-chip] .mud-chip-close-button")[0].Click();
        Assert.Equal(NameConstraints.HomeLab.PermittedIpRanges.Count - 1, page.FindAll("[data-testid=ca-ip-chip]").Count);
    }

    [Theory]
    [InlineData("", "0", "common name")]
    [InlineData("Root", "0", "Validity must be at least one day.")]
    [InlineData("Root", "100000", "at most 9132 days")]
    [InlineData("Bell\u0007Root", "365", "control")]
    public async Task Create_BadChoices_RefusedWithAClearMessageAndNothingStored(string commonName, string days, string fragment)
    {
        var page = RenderPage();
        page.Find("input[data-testid=ca-cn]").Change(commonName);
        page.Find("input[data-testid=ca-key-p256]").Click();
        page.Find("input[data-testid=ca-validity]").Change(days);

        page.Find("[data-testid=ca-create]").Click();

        page.WaitForAssertion(() => Assert.Contains(fragment, page.Find("[data-testid=ca-error]").TextContent, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(page.FindAll("[data-testid=ca-created]"));
        await using var db = Storage.CreateContext();
        Assert.Equal(0, await db.Authorities.CountAsync());
        Assert.Equal(0, await db.Certificates.CountAsync());
    }

    [Fact]
    public void Created_Download_SavesTheCaCertificateAsCrtWithoutItsKey()
    {
        var saved = new List<(string Name, string Text)>();
        JSInterop.SetupVoid(BrowserFiles.SaveFunction, invocation =>
        {
            using var copy = new MemoryStream();
            ((Microsoft.JSInterop.DotNetStreamReference)invocation.Arguments[2]!).Stream.CopyTo(copy);
            saved.Add(((string)invocation.Arguments[0]!, Encoding.ASCII.GetString(copy.ToArray())));
            return true;
        }).SetVoidResult();
        var page = RenderPage();
        page.Find("input[data-testid=ca-cn]").Change("Download Root");
        page.Find("input[data-testid=ca-key-p256]").Click();
        page.Find("[data-testid=ca-create]").Click();
        page.WaitForElement("[data-testid=ca-created]", TimeSpan.FromSeconds(20));

        page.Find("[data-testid=ca-download]").Click();

        page.WaitForAssertion(() => Assert.Single(saved));
        Assert.Equal("Download_Root.crt", saved[0].Name);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", saved[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", saved[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnderARootThatAllowsIntermediates_StoresAnIntermediateWhoseChainOpenSslVerifies()
    {
        var authorities = new AuthorityService(Storage, Time);
        var root = (await authorities.CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Lab Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            AllowIntermediates = true,
        }, "admin")).Value;
        var page = RenderPage();
        page.Find("input[data-testid=ca-cn]").Change("Lab Issuing CA");
        page.Find("input[data-testid=ca-key-p256]").Click();

        page.Find($"input[data-testid=ca-parent-{root.Id}]").Click();
        page.Find("[data-testid=ca-create]").Click();

        page.WaitForElement("[data-testid=ca-created]", TimeSpan.FromSeconds(20));
        var created = Assert.Single(await authorities.ListAsync(), a => !a.IsRoot);
        Assert.Equal(root.Id, created.ParentId);
        Assert.Equal(CertificateProfile.IntermediateCa.DefaultValidityDays, Math.Round((created.NotAfter - created.NotBefore).TotalDays));
        var rootPem = Path.Combine(WorkDirectory, "root.pem");
        var intermediatePem = Path.Combine(WorkDirectory, "intermediate.pem");
        await File.WriteAllBytesAsync(rootPem, (await Exports.ExportAsync(root.CertificateId, ExportFormat.Pem, new ExportOptions(), "admin")).Value.Content);
        await File.WriteAllBytesAsync(intermediatePem, (await Exports.ExportAsync(created.CertificateId, ExportFormat.Pem, new ExportOptions(), "admin")).Value.Content);
        var verify = Core.Tests.OpenSslHierarchy.Run("openssl", "verify", "-x509_strict", "-CAfile", rootPem, intermediatePem);
        Assert.True(verify.ExitCode == 0, verify.Output);
    }

    [Fact]
    public async Task Create_MaySignIntermediates_StoresARootWithPathLengthOne()
    {
        var page = RenderPage();
        page.Find("input[data-testid=ca-cn]").Change("Lab Root");
        page.Find("input[data-testid=ca-key-p256]").Click();

        page.Find("input[data-testid=ca-allow-intermediates], [data-testid=ca-allow-intermediates] input").Change(true);
        page.Find("[data-testid=ca-create]").Click();

        page.WaitForElement("[data-testid=ca-created]", TimeSpan.FromSeconds(20));
        Assert.Equal(1, (await StoredRootAsync()).PathLength);
    }

    [Fact]
    public async Task Render_OnlyRootsWithoutIntermediates_NoParentOffered()
    {
        await new AuthorityService(Storage, Time).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Leaf-only Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, "admin");

        var page = RenderPage();

        Assert.Empty(page.FindAll("[data-testid=ca-parent]"));
        Assert.Single(page.FindAll("[data-testid=ca-allow-intermediates]"));
    }

    private ExportService Exports => new(Storage, Time);

    private IRenderedComponent<CreateAuthorityPage> RenderPage()
    {
        RenderProviders();
        var page = Render<CreateAuthorityPage>();
        page.WaitForElement("input[data-testid=ca-cn]");
        return page;
    }

    private static void AddDns(IRenderedComponent<CreateAuthorityPage> page, string suffix)
    {
        page.Find("input[data-testid=ca-dns-input]").Input(suffix);
        page.Find("[data-testid=ca-dns-add]").Click();
    }

    private static void AddIp(IRenderedComponent<CreateAuthorityPage> page, string range)
    {
        page.Find("input[data-testid=ca-ip-input]").Input(range);
        page.Find("[data-testid=ca-ip-add]").Click();
    }

    private async Task<Certificate> StoredRootAsync()
    {
        await using var db = Storage.CreateContext();
        var authority = await db.Authorities.Include(a => a.Certificate).SingleAsync();
        Assert.NotNull(authority.Certificate.PrivateKeyId);
        return Certificate.FromDer(authority.Certificate.Der).Value;
    }
}
