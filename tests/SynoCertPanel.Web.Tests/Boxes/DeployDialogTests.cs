using Bunit;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Tests.Boxes.Webhook;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>Deploy and History from the Boxes page, to a real webhook receiver that serves what it is sent on its own TLS port.</summary>
public sealed class DeployDialogTests : BoxesComponentTest
{
    private const string Secret = "a-signing-secret-of-32-characters";
    private WebhookBox _receiver = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = WebhookBox.Start(Secret);
    }

    protected override async Task DisposeMoreAsync() => await _receiver.DisposeAsync();

    private async Task<BoxSummary> AddReceiverAsync(int? authorityId, int? certificateId = null) => await AddBoxAsync("hooked", ["localhost", "127.0.0.1"],
        [At("127.0.0.1", _receiver.TlsPort)], "webhook", new Dictionary<string, string> { ["url"] = _receiver.Url },
        new Dictionary<string, string> { ["secret"] = Secret }, authorityId, certificateId);

    private IRenderedComponent<BoxesPage> OpenDeploy(BoxSummary box)
    {
        var page = Render<BoxesPage>();
        page.WaitForElement($"[data-testid=box-deploy-{box.Id}]").Click();
        return page;
    }

    [Fact]
    public async Task Deploy_FromTheBoxCa_SaysWhatWillHappenThenShowsProgressAndSuccess()
    {
        var seeded = await SeedAsync("panel.lan", rootName: "Home Lab Root");
        var box = await AddReceiverAsync(seeded.AuthorityId);
        var page = OpenDeploy(box);

        var plan = Dialogs.WaitForElement("[data-testid=deploy-plan]").TextContent;
        Assert.Equal("A new certificate is issued from the CA \"CN=Home Lab Root\" for localhost, 127.0.0.1.", plan);
        Dialogs.Find("[data-testid=deploy-confirm]").Click();

        var outcome = Dialogs.WaitForElement("[data-testid=deploy-outcome]", TimeSpan.FromSeconds(30));
        Assert.Equal("status", outcome.GetAttribute("role"));
        Assert.Contains($"hooked serves certificate", outcome.TextContent, StringComparison.Ordinal);
        var progress = Dialogs.FindAll("[data-testid=deploy-progress] li").Select(l => l.TextContent).ToList();
        Assert.StartsWith("Issued certificate", progress[0], StringComparison.Ordinal);
        Assert.Contains(progress, l => l.StartsWith("Verified: 127.0.0.1:", StringComparison.Ordinal));
        Assert.NotEmpty(Dialogs.FindAll("[data-testid=deploy-steps] li"));
        Assert.Single(_receiver.Received);

        Dialogs.Find("[data-testid=deploy-close]").Click();
        page.WaitForElement($"[data-testid=box-history-{box.Id}]").Click();
        var record = Dialogs.WaitForElement("[data-testid^=box-deploy-record-]");
        Assert.Equal("Succeeded", record.QuerySelector("[data-testid=box-deploy-outcome]")!.TextContent.Trim());
        Assert.Contains("Verified: 127.0.0.1:", record.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_BoxKeepsServingTheOldCertificate_FailureIsAnAlertWithTheSteps()
    {
        var seeded = await SeedAsync("panel.lan");
        _receiver.InstallOnDeploy = false;
        var box = await AddReceiverAsync(null, seeded.CertificateId);
        OpenDeploy(box);

        Assert.Equal($"The certificate {seeded.CertificateId} \"panel.lan\" is delivered to hooked.", Dialogs.WaitForElement("[data-testid=deploy-plan]").TextContent);
        Dialogs.Find("[data-testid=deploy-confirm]").Click();

        var outcome = Dialogs.WaitForElement("[data-testid=deploy-outcome]", TimeSpan.FromSeconds(30));
        Assert.Equal("alert", outcome.GetAttribute("role"));
        Assert.Contains("Verification failed", outcome.TextContent, StringComparison.Ordinal);
        Assert.Contains(Dialogs.FindAll("[data-testid=deploy-steps] li"), l => l.TextContent.Contains("Restoring what the box served before", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_NoCaAndNoCertificate_TheRefusalIsShown()
    {
        var box = await AddReceiverAsync(null);
        OpenDeploy(box);

        Assert.Contains("no CA to issue from and no certificate chosen", Dialogs.WaitForElement("[data-testid=deploy-plan]").TextContent, StringComparison.Ordinal);
        Dialogs.Find("[data-testid=deploy-confirm]").Click();

        var refusal = Dialogs.WaitForElement("[data-testid=deploy-refusal]");
        Assert.Equal("alert", refusal.GetAttribute("role"));
        Assert.Contains("has no CA to issue from and no certificate chosen", refusal.TextContent, StringComparison.Ordinal);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task Deploy_DisabledBox_Refused()
    {
        var seeded = await SeedAsync("panel.lan");
        var box = await AddReceiverAsync(seeded.AuthorityId);
        Assert.True((await Boxes.SetEnabledAsync("hooked", false, UserName)).IsSuccess);
        OpenDeploy(box);

        Dialogs.WaitForElement("[data-testid=deploy-confirm]").Click();

        Assert.Equal("The box hooked is disabled; enable it before deploying to it.", Dialogs.WaitForElement("[data-testid=deploy-refusal]").TextContent.Trim());
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task History_NothingDeployed_SaysSo()
    {
        var box = await AddReceiverAsync(null);
        var page = Render<BoxesPage>();

        page.WaitForElement($"[data-testid=box-history-{box.Id}]").Click();

        Assert.Equal("Nothing was deployed to this box yet.", Dialogs.WaitForElement("[data-testid=box-history-empty]").TextContent);
    }
}
