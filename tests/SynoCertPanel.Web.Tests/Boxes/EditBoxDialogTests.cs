using System.Globalization;
using Bunit;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Ssh;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>Edit on the Boxes page: the dialog starts from the stored box, a stored secret is never sent back, refusals keep the form and change nothing.</summary>
public sealed class EditBoxDialogTests : BoxesComponentTest
{
    private const string Secret = "a-signing-secret-of-32-characters";
    private const string HostKey = "SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    private async Task<BoxSummary> AddWebhookAsync() =>
        await AddBoxAsync("hook", ["hook.lan", "192.168.1.30"], ["hook.lan:8443"], "webhook",
            new() { ["url"] = "https://hook.lan/certificates" }, new() { ["secret"] = Secret });

    private IRenderedComponent<BoxesPage> OpenEdit(BoxSummary box)
    {
        var page = Render<BoxesPage>();
        page.WaitForElement($"[data-testid=box-edit-{box.Id}]").Click();
        Dialogs.WaitForElement("[data-testid=box-name-input]");
        return page;
    }

    private async Task<(string Url, string? Secret, string Name)> StoredAsync(BoxSummary box)
    {
        var opened = (await Boxes.OpenTargetAsync(box.Id.ToString(CultureInfo.InvariantCulture))).Value;
        return (opened.Target.Setting("url")!, opened.Target.SecretValue("secret"), opened.Box.Name);
    }

    [Fact]
    public async Task Edit_StartsFromTheStoredBox_TheSecretFieldEmptySayingItIsSet_SaveKeepsIt()
    {
        var box = await AddWebhookAsync();
        var page = OpenEdit(box);

        Assert.Equal("hook", Value("box-name-input"));
        Assert.Equal("hook.lan, 192.168.1.30", Value("box-addresses-input"));
        Assert.Equal("hook.lan:8443", Value("box-watch-input"));
        Assert.Equal("https://hook.lan/certificates", Value("box-option-url"));
        var secret = Dialogs.Find("input[data-testid=box-option-secret], [data-testid=box-option-secret] input");
        Assert.Equal("password", secret.GetAttribute("type"));
        Assert.True(string.IsNullOrEmpty(secret.GetAttribute("value")));
        Assert.Equal("set — leave empty to keep", secret.GetAttribute("placeholder"));
        Assert.DoesNotContain(Secret, Dialogs.Markup, StringComparison.Ordinal);
        Assert.Equal("Save", Text("box-save").Trim());

        Type("box-name-input", "hook2");
        Type("box-option-url", "https://hook.lan/v2");
        Dialogs.Find("[data-testid=box-save]").Click();

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=box-dialog]")));
        Assert.Equal(("https://hook.lan/v2", Secret, "hook2"), await StoredAsync(box));
        page.WaitForAssertion(() => Assert.Equal("hook2", page.Find("[data-testid=box-row-name]").TextContent));
    }

    [Fact]
    public async Task Edit_NewSecretTyped_ReplacesTheStoredOne()
    {
        var box = await AddWebhookAsync();
        OpenEdit(box);

        Type("box-option-secret", "another-signing-secret-0123456789");
        Dialogs.Find("[data-testid=box-save]").Click();

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=box-dialog]")));
        Assert.Equal("another-signing-secret-0123456789", (await StoredAsync(box)).Secret);
    }

    public static TheoryData<string, string, string> BadEdits() => new()
    {
        { "box-name-input", "", "Give the box a name (for example nas2 or proxmox)." },
        { "box-name-input", "<script>alert(1)</script>", BoxRules.Name("<script>alert(1)</script>").Error! },
        { "box-name-input", new string('n', 400), BoxRules.Name(new string('n', 400)).Error! },
        { "box-addresses-input", "", BoxRules.Addresses([]).Error! },
        { "box-addresses-input", "hook.lan, 300.1.1.1", BoxRules.Addresses(["hook.lan", "300.1.1.1"]).Error! },
        { "box-watch-input", "hook.lan:99999", BoxRules.Endpoints(["hook.lan:99999"]).Error! },
        { "box-option-url", "", "Webhook needs the url (--url): " },
        { "box-option-url", "https://" + new string('a', 17 * 1024), "The url is too long" },
        { "box-option-secret", "short", "The signing secret must be at least 16 characters." },
    };

    [Theory]
    [MemberData(nameof(BadEdits))]
    public async Task Edit_BadInput_RefusedBesideTheForm_TheFormKept_NothingChanged(string field, string value, string expected)
    {
        var box = await AddWebhookAsync();
        OpenEdit(box);

        Type(field, value);
        Dialogs.Find("[data-testid=box-save]").Click();

        var refusal = Dialogs.WaitForElement("[data-testid=box-refusal]");
        Assert.Equal("alert", refusal.GetAttribute("role"));
        Assert.StartsWith(expected, refusal.TextContent.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, Dialogs.Markup, StringComparison.Ordinal);
        if (field != "box-option-secret")
        {
            Assert.Equal(value, Value(field));
        }

        Assert.Equal(("https://hook.lan/certificates", Secret, "hook"), await StoredAsync(box));
        Assert.Equal(["hook.lan:8443"], (await Boxes.FindAsync("hook")).Value.Endpoints.Select(e => e.Display));
    }

    [Fact]
    public async Task Edit_PinnedBox_OffersToForgetThePin_AndSavingForgetsIt()
    {
        var box = await AddBoxAsync("linux", ["linux.lan"], [], "ssh",
            new() { [SshOptions.User] = "deploy", [SshOptions.CertPath] = "/etc/ssl/cert.pem", [SshOptions.HostKey] = HostKey });
        var plain = await AddWebhookAsync();
        OpenEdit(plain);
        Assert.Empty(Dialogs.FindAll("[data-testid=box-forget-pin]"));
        Dialogs.Find("[data-testid=box-cancel]").Click();
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=box-dialog]")));

        Render<BoxesPage>().WaitForElement($"[data-testid=box-edit-{box.Id}]").Click();
        Dialogs.WaitForElement("input[data-testid=box-forget-pin], [data-testid=box-forget-pin] input").Change(true);
        Dialogs.Find("[data-testid=box-save]").Click();

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=box-dialog]")));
        var saved = (await Boxes.FindAsync("linux")).Value;
        Assert.False(saved.Settings.ContainsKey(SshOptions.HostKey));
        Assert.Equal(box.Settings[BoxService.PublicKeySetting], saved.Settings[BoxService.PublicKeySetting]);
        Assert.Equal(["private-key"], saved.SecretsSet);
    }
}
