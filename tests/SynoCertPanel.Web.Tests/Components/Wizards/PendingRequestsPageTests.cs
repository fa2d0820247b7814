using Bunit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Components.Common;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components.Wizards;

public sealed class PendingRequestsPageTests : PanelComponentTest
{
    [Fact]
    public void Render_NoRequests_SaysSo()
    {
        var page = Render<PendingRequestsPage>();

        page.WaitForAssertion(() => Assert.True(page.Has("requests-empty")));
        Assert.Equal("/certificates/add/csr", page.ById("requests-new").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_Requests_ListsThemLiterallyAndDownloadsTheCsr()
    {
        var requests = new RequestService(Storage, Time);
        var created = await requests.CreateAsync(DistinguishedName.Create("nas2.home.arpa").Value, [SubjectAlternativeName.Ip("192.168.1.11")],
            KeyAlgorithm.EcdsaP256, "<i>box two</i>", UserName);
        Assert.True(created.IsSuccess, created.Error);
        RenderProviders();

        var page = Render<PendingRequestsPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=request-row]")));
        var row = page.Find("[data-testid=request-row]");
        Assert.Contains("<i>box two</i>", row.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("i"));
        Assert.Contains("IP:192.168.1.11", row.TextContent, StringComparison.Ordinal);
        page.Click($"request-download-{created.Value.Id}");
        page.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier == BrowserFiles.SaveFunction
            && (string)i.Arguments[0]! == "i_box_two_i.csr"));
    }
}
