using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Components.Certificates;
using SynoCertPanel.Web.Components.Pages;
using SynoCertPanel.Web.Tests.Components.Wizards;

namespace SynoCertPanel.Web.Tests.Components;

/// <summary>Edit's "Save and serve on the panel" goes through the apply dialog and the real listener, never around them.</summary>
public sealed class EditServeTests : RunningPanelComponentTest
{
    [Fact]
    public async Task Edit_SaveAndServe_SavesTheDescriptionThenAppliesThroughThePreflight()
    {
        var created = await Panel.CreateServerCertificateAsync("localhost", "127.0.0.1");
        JSInterop.Setup<string?>(ApplyDialog.HealthFunction).SetResult("ok");
        var (dialogs, _) = RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => Row(page));
        Row(page).Click();
        page.WaitForAssertion(() => Assert.False(page.IsDisabled("edit")));
        page.Click("edit");
        dialogs.WaitForAssertion(() => Assert.True(dialogs.Has("edit-serve")));

        dialogs.Find("[data-testid=edit-description] input, input[data-testid=edit-description]").Input("Panel on localhost");
        dialogs.Click("edit-serve");

        dialogs.WaitForAssertion(() => Assert.Equal("Panel on localhost", dialogs.ById("apply-description").TextContent.Trim()));
        Assert.False(dialogs.Has("edit-dialog"));
        dialogs.Click("apply-submit");
        dialogs.WaitForAssertion(() => Assert.Contains("Still connected, new certificate served", dialogs.ById("apply-result").TextContent,
            StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Equal(Panel.Served.Thumbprint, await Panel.HandshakeThumbprintAsync());
        var storage = Panel.App.Services.GetRequiredService<PanelStorage>();
        var details = await new InventoryService(storage, Time).GetAsync(created.CertificateId);
        Assert.True(details.Value.Summary.IsDefault);
    }

    private static IElement Row(IRenderedComponent<CertificatesPage> page) =>
        page.FindAll("[data-testid=certificate-table] tbody tr.mud-table-row")
            .Single(r => r.TextContent.Contains("DNS:localhost", StringComparison.Ordinal) && !r.TextContent.Contains("Self-signed panel", StringComparison.Ordinal));
}
