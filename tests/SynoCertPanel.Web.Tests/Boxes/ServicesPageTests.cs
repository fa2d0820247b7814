using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests.Boxes.Webhook;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Components.Pages;
using SynoCertPanel.Web.Components.Services;
using SynoCertPanel.Web.Tests.Components.Wizards;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>
/// The Services page: what each service uses and what its endpoints serve, the choice of certificates, a watch-only box's
/// reason, and Apply to a box through the deploy dialog to a real webhook receiver; and the certificate dialogs naming the box.
/// </summary>
public sealed class ServicesPageTests : BoxesComponentTest
{
    private const string Secret = "a-signing-secret-of-32-characters";
    private WebhookBox _receiver = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = WebhookBox.Start(Secret);
    }

    protected override async Task DisposeMoreAsync() => await _receiver.DisposeAsync();

    private async Task<BoxSummary> AddReceiverAsync() => await AddBoxAsync("hooked", ["localhost", "127.0.0.1"], [At("127.0.0.1", _receiver.TlsPort)], "webhook",
        new Dictionary<string, string> { ["url"] = _receiver.Url }, new Dictionary<string, string> { ["secret"] = Secret });

    private async Task<int> IssueAsync(int authorityId, string description, params string[] names)
    {
        var issued = await new AuthorityService(Storage, Time).IssueAsync(authorityId, new LeafOptions
        {
            Subject = DistinguishedName.Create(names[0]).Value,
            SubjectAlternativeNames = SanParser.ParseAll(names).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, description, setAsDefault: false, UserName);
        Assert.True(issued.IsSuccess, issued.Error);
        return issued.Value;
    }

    private async Task<DeploymentOutcome> DeployAsync(int certificateId)
    {
        var deployed = await Services.GetRequiredService<DeployService>().DeployAsync("hooked", certificateId, UserName);
        Assert.True(deployed.IsSuccess, deployed.Error);
        return deployed.Value.Outcome;
    }

    private static IRenderedComponent<ServiceChoice> Choice(IRenderedComponent<ServicesPage> page, string key) =>
        page.FindComponents<ServiceChoice>().Single(c => ServiceText.TestKey(c.Instance.Service) == key);

    private static IReadOnlyList<int> Options(IRenderedComponent<ServicesPage> page, string key) =>
        [.. Choice(page, key).Instance.Candidates.Select(c => c.Certificate.Id)];

    [Fact]
    public async Task Page_ListenerAndWatchOnlyBox_UsesWithExpiry_AndTheReasonTheBoxCannotBeChanged()
    {
        var seeded = await SeedAsync("panel.lan", "Panel certificate", setAsDefault: true);
        var printer = await AddBoxAsync("printer", ["printer.lan"], ["printer.lan:443"]);

        var page = Render<ServicesPage>();

        var listener = page.WaitForElement("[data-testid=service-uses-listener]");
        Assert.Equal(seeded.CertificateId.ToString(System.Globalization.CultureInfo.InvariantCulture), listener.GetAttribute("data-certificate"));
        Assert.Equal("Panel certificate", listener.QuerySelector("[data-testid=service-uses-description]")!.TextContent);
        Assert.Equal("valid", listener.QuerySelector("[data-testid=service-uses-expiry]")!.GetAttribute("data-state"));
        Assert.Contains("days left", listener.QuerySelector("[data-testid=service-uses-expiry]")!.TextContent, StringComparison.Ordinal);
        var key = $"box-{printer.Id}";
        Assert.Equal("Nothing deployed from here yet.", page.Find($"[data-testid=service-uses-{key}]").TextContent.Trim());
        var reason = page.Find($"[data-testid=service-refusal-{key}]").TextContent;
        Assert.StartsWith("printer is watched only: the panel cannot put a certificate on it. Install the certificate on the box by hand", reason, StringComparison.Ordinal);
        Assert.Equal(reason, page.Find($"[data-testid=service-choice-{key}-reason]").GetAttribute("data-reason"));
        Assert.NotNull(page.Find($"[data-testid=service-choice-{key}-reason] input").GetAttribute("disabled"));
        Assert.False(page.Has($"service-apply-{key}"));
        Assert.Contains("Not probed yet", page.Find($"[data-testid=service-endpoint-{printer.Endpoints[0].Id}]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_ListenerChoice_ApplyDisabledUntilAnotherCertificateIsChosen()
    {
        var seeded = await SeedAsync("panel.lan", "Panel certificate", setAsDefault: true);
        var other = await IssueAsync(seeded.AuthorityId, "Other", "other.lan");
        var page = Render<ServicesPage>();
        page.WaitForElement("[data-testid=service-apply-listener-reason]");
        Assert.Equal("Choose a certificate first.", page.Find("[data-testid=service-apply-listener-reason]").GetAttribute("data-reason"));
        Assert.Equal([seeded.CertificateId, other], Options(page, "listener"));

        await Choose(page, "listener", seeded.CertificateId);
        Assert.Equal("The panel already serves this certificate.", page.Find("[data-testid=service-apply-listener-reason]").GetAttribute("data-reason"));

        await Choose(page, "listener", other);
        Assert.False(page.Has("service-apply-listener-reason"));
        Assert.Null(page.Find("[data-testid=service-apply-listener]").GetAttribute("disabled"));
    }

    [Fact]
    public async Task Page_BoxChoice_CoveringCertificatesFirst_ApplyDeploysWithProgress_ThenTheRowUsesIt()
    {
        var seeded = await SeedAsync("panel.lan", "Panel certificate", setAsDefault: true);
        var box = await AddReceiverAsync();
        var other = await IssueAsync(seeded.AuthorityId, "Other host", "other.lan");
        var covering = await IssueAsync(seeded.AuthorityId, "hooked (covers it)", "localhost", "127.0.0.1");
        var key = $"box-{box.Id}";
        var page = Render<ServicesPage>();
        page.WaitForElement($"[data-testid=service-apply-{key}-reason]");

        Assert.Equal(covering, Options(page, key)[0]);
        Assert.True(Choice(page, key).Instance.Candidates[0].CoversAddresses);
        Assert.Contains(other, Options(page, key));
        await Choose(page, key, covering);
        page.Click($"service-apply-{key}");

        Assert.Equal($"The certificate {covering} \"hooked (covers it)\" is delivered to hooked.", Dialogs.WaitForElement("[data-testid=deploy-plan]").TextContent);
        Dialogs.Find("[data-testid=deploy-confirm]").Click();
        var outcome = Dialogs.WaitForElement("[data-testid=deploy-outcome]", TimeSpan.FromSeconds(30));
        Assert.Equal("status", outcome.GetAttribute("role"));
        Assert.Contains(Dialogs.FindAll("[data-testid=deploy-progress] li"), l => l.TextContent.StartsWith("Verified: 127.0.0.1:", StringComparison.Ordinal));
        Dialogs.Find("[data-testid=deploy-close]").Click();

        page.WaitForAssertion(() => Assert.Equal(covering.ToString(System.Globalization.CultureInfo.InvariantCulture),
            page.Find($"[data-testid=service-uses-{key}]").GetAttribute("data-certificate")));
        await using var db = Storage.CreateContext();
        Assert.Equal(covering, (await db.Deployments.SingleAsync()).CertificateId);
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task Page_ProbeSawAnotherCertificate_TheRowSaysItIsNotTheDeployedOne()
    {
        var seeded = await SeedAsync("panel.lan", "Panel certificate", setAsDefault: true);
        var box = await AddReceiverAsync();
        var deployed = await IssueAsync(seeded.AuthorityId, "hooked", "localhost", "127.0.0.1");
        Assert.Equal(DeploymentOutcome.Succeeded, await DeployAsync(deployed));
        // The last probe saw the receiver's first, self-made certificate: someone put it back by hand.
        await using (var db = Storage.CreateContext())
        {
            var endpoint = await db.BoxEndpoints.SingleAsync();
            endpoint.ServedFingerprint = new string('A', 64);
            endpoint.ServedNotAfter = DateTimeOffset.UtcNow.AddDays(20);
            endpoint.CheckedAt = DateTimeOffset.UtcNow;
            endpoint.State = "not-latest";
            await db.SaveChangesAsync();
        }

        var page = Render<ServicesPage>();

        var endpointId = box.Endpoints[0].Id;
        var mismatch = page.WaitForElement($"[data-testid=service-mismatch-{endpointId}]");
        Assert.Equal("Not the certificate deployed here (hooked): the last probe saw another one.", mismatch.TextContent.Trim());
        Assert.StartsWith("Serves a certificate not held here, valid until ", page.Find($"[data-testid=service-endpoint-{endpointId}] [data-testid=service-served]").TextContent,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditAndDeleteDialogs_NameTheBoxTheCertificateWasDeployedTo()
    {
        var seeded = await SeedAsync("panel.lan", "Panel certificate", setAsDefault: true);
        await AddReceiverAsync();
        var deployed = await IssueAsync(seeded.AuthorityId, "For the hooked box", "localhost", "127.0.0.1");
        Assert.Equal(DeploymentOutcome.Succeeded, await DeployAsync(deployed));
        var summary = (await new InventoryService(Storage, Time).GetAsync(deployed)).Value.Summary;
        var dialogs = Services.GetRequiredService<IDialogService>();

        var edit = Dialogs.InvokeAsync(() => SynoCertPanel.Web.Components.Certificates.EditDialog.ShowAsync(dialogs, summary, UserName));
        var use = Dialogs.WaitForElement("[data-testid=edit-use-box]");
        Assert.Contains("hooked", use.TextContent, StringComparison.Ordinal);
        Assert.EndsWith("the last successful deploy put it there.", use.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(Dialogs.FindAll("[data-testid=edit-use-none]"));
        Dialogs.Find("[data-testid=edit-cancel]").Click();
        await edit;

        var delete = Dialogs.InvokeAsync(() => SynoCertPanel.Web.Components.Certificates.DeleteDialog.AskAsync(dialogs, deployed, summary.Description));
        var warning = Dialogs.WaitForElement("[data-testid=delete-boxes]");
        Assert.Equal("alert", warning.GetAttribute("role"));
        Assert.Equal("hooked", warning.QuerySelector("[data-testid=delete-box]")!.TextContent);
        Assert.Contains("deploy another certificate to them first", warning.TextContent, StringComparison.Ordinal);
        Dialogs.Find("[data-testid=delete-cancel]").Click();
        Assert.Null(await delete);
    }

    private static async Task Choose(IRenderedComponent<ServicesPage> page, string key, int certificateId)
    {
        var select = Choice(page, key).FindComponent<MudSelect<int?>>();
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(certificateId));
    }
}
