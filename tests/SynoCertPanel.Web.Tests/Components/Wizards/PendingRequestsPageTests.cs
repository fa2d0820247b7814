using Bunit;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
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
        Assert.Equal("/certificates/add/csr?back=/requests", page.ById("requests-new").GetAttribute("href"));
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

    [Fact]
    public async Task Cancel_Confirmed_SaysTheKeyIsDestroyedRemovesTheRowAndAudits()
    {
        var requests = new RequestService(Storage, Time);
        var kept = (await requests.CreateAsync(DistinguishedName.Create("nas2.home.arpa").Value, [], KeyAlgorithm.EcdsaP256, "box two", UserName)).Value;
        var cancelled = (await requests.CreateAsync(DistinguishedName.Create("nas3.home.arpa").Value, [], KeyAlgorithm.EcdsaP256, "box three", UserName)).Value;
        var (dialogs, snackbars) = RenderProviders();
        var page = Render<PendingRequestsPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=request-row]").Count));

        page.Click($"request-cancel-{cancelled.Id}");
        dialogs.WaitForAssertion(() => Assert.Contains("private key, kept here for the signed certificate, is destroyed",
            dialogs.ById("cancel-request-consequences").TextContent, StringComparison.Ordinal));
        Assert.Contains("box three", dialogs.ById("cancel-request-dialog").TextContent, StringComparison.Ordinal);
        dialogs.Click("cancel-request-confirm");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=request-row]")));
        Assert.Contains("box two", page.Find("[data-testid=request-row]").TextContent, StringComparison.Ordinal);
        snackbars.WaitForAssertion(() => Assert.Contains("was cancelled and its key destroyed", snackbars.Markup, StringComparison.Ordinal));
        await using var db = Storage.CreateContext();
        Assert.Equal([kept.Id], await db.PendingRequests.Select(p => p.Id).ToListAsync());
        Assert.Equal(1, await db.PrivateKeys.CountAsync());
        var audit = await db.AuditEvents.OrderBy(a => a.Id).LastAsync();
        Assert.Equal((AuditActions.CancelRequest, AuditOutcome.Succeeded, UserName), (audit.Action, audit.Outcome, audit.Actor));
    }

    [Fact]
    public async Task Cancel_Kept_NothingChanges()
    {
        var requests = new RequestService(Storage, Time);
        var created = (await requests.CreateAsync(DistinguishedName.Create("nas2.home.arpa").Value, [], KeyAlgorithm.EcdsaP256, "box two", UserName)).Value;
        var (dialogs, _) = RenderProviders();
        var page = Render<PendingRequestsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=request-row]")));

        page.Click($"request-cancel-{created.Id}");
        dialogs.WaitForAssertion(() => Assert.True(dialogs.Has("cancel-request-keep")));
        dialogs.Click("cancel-request-keep");

        dialogs.WaitForAssertion(() => Assert.False(dialogs.Has("cancel-request-dialog")));
        Assert.Single(page.FindAll("[data-testid=request-row]"));
        await using var db = Storage.CreateContext();
        Assert.Equal(1, await db.PendingRequests.CountAsync());
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.CancelRequest));
    }
}
