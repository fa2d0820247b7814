using AngleSharp.Dom;
using Bunit;
using SynoCertPanel.Core.Listener;
using SynoCertPanel.Web.Components.Certificates;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Components;

/// <summary>"Set as default" on the certificates page: the apply dialog in front of the real listener.</summary>
public sealed class ApplyDialogTests : RunningPanelComponentTest
{
    [Fact]
    public async Task SetDefault_NamesCoverTheHost_AppliesAndConfirmsFromTheBrowser()
    {
        await Panel.CreateServerCertificateAsync("localhost", "127.0.0.1");
        JSInterop.Setup<string?>(ApplyDialog.HealthFunction).SetResult("ok");
        var (dialogs, page) = OpenDialog("localhost");

        Assert.Contains("It covers localhost", dialogs.Find("[data-testid=apply-host-covered]").TextContent, StringComparison.Ordinal);
        Assert.Contains("DNS:localhost", dialogs.Find("[data-testid=apply-names]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Connections already open (this page's too) keep the certificate", dialogs.Markup, StringComparison.Ordinal);
        dialogs.Find("[data-testid=apply-submit]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Still connected, new certificate served",
            dialogs.Find("[data-testid=apply-result]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Contains(Panel.Served.Thumbprint, dialogs.Find("[data-testid=apply-result]").TextContent, StringComparison.Ordinal);
        Assert.Equal(Panel.Served.Thumbprint, await Panel.HandshakeThumbprintAsync());
        dialogs.Find("[data-testid=apply-close]").Click();
        page.WaitForAssertion(() => Assert.NotNull(ServerRow(page, "localhost").QuerySelector("[data-testid=default-marker]")));
    }

    [Fact]
    public async Task SetDefault_NamesDoNotCoverTheHost_WarnsAndWantsConfirmation()
    {
        var created = await Panel.CreateServerCertificateAsync("nas.home.arpa");
        JSInterop.Setup<string?>(ApplyDialog.HealthFunction).SetResult("ok");
        var (dialogs, _) = OpenDialog("nas.home.arpa");

        Assert.Contains("It does not cover localhost", dialogs.Find("[data-testid=apply-host-warning]").TextContent, StringComparison.Ordinal);
        Assert.True(dialogs.Find("[data-testid=apply-submit]").HasAttribute("disabled"));
        dialogs.Find("[data-testid=apply-dialog] input[type=checkbox]").Change(true);
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("[data-testid=apply-submit]").HasAttribute("disabled")));
        dialogs.Find("[data-testid=apply-submit]").Click();

        dialogs.WaitForElement("[data-testid=apply-result]", TimeSpan.FromSeconds(15));
        Assert.Equal(created.CertificateId, Panel.Served.CertificateId);
    }

    [Fact]
    public async Task SetDefault_CertificateRefused_ShowsWhyAndTheOldOneStays()
    {
        await Panel.CreateServerCertificateAsync("localhost", "127.0.0.1");
        var before = Panel.Served;
        // The listener's clock is three years on: the new certificate has expired by then, the served one is kept.
        Panel.Clock.Offset = TimeSpan.FromDays(3 * 365);
        var (dialogs, _) = OpenDialog("localhost");

        dialogs.Find("[data-testid=apply-submit]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("it is not valid now", dialogs.Find("[data-testid=apply-error]").TextContent,
            StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Empty(dialogs.FindAll("[data-testid=apply-result]"));
        Assert.Same(before, Panel.Served);
        Assert.Equal(before.Thumbprint, await Panel.HandshakeThumbprintAsync());
    }

    [Fact]
    public async Task SetDefault_BrowserCannotReachTheHealthCheck_SaysSoAfterTheApply()
    {
        await Panel.CreateServerCertificateAsync("localhost", "127.0.0.1");
        JSInterop.Setup<string?>(ApplyDialog.HealthFunction).SetResult("failed: NetworkError");
        var (dialogs, _) = OpenDialog("localhost");

        dialogs.Find("[data-testid=apply-submit]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("could not reach /health from your browser (failed: NetworkError)",
            dialogs.Find("[data-testid=apply-result]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
    }

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<CertificatesPage> page) =>
        page.FindAll("[data-testid=certificate-table] tbody tr.mud-table-row");

    /// <summary>The test's server certificate for <paramref name="name"/>, not the panel's own start-up certificate.</summary>
    private static IElement ServerRow(IRenderedComponent<CertificatesPage> page, string name) =>
        Rows(page).Single(r => r.TextContent.Contains("DNS:" + name, StringComparison.Ordinal)
            && !r.TextContent.Contains(ServedCertificateStore.SelfSignedDescription, StringComparison.Ordinal));

    private (IRenderedComponent<MudBlazor.MudDialogProvider> Dialogs, IRenderedComponent<CertificatesPage> Page) OpenDialog(string rowText)
    {
        var (dialogs, _) = RenderProviders();
        var page = Render<CertificatesPage>();
        page.WaitForAssertion(() => ServerRow(page, rowText));
        ServerRow(page, rowText).Click();
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=set-default]").HasAttribute("disabled")));
        page.Find("[data-testid=set-default]").Click();
        dialogs.WaitForElement("[data-testid=apply-submit]");
        return (dialogs, page);
    }
}
