using Bunit;
using MudBlazor;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Web.Components.Boxes;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>The Add box dialog: the service's every refusal beside the form with the form kept, the method's own fields, the SSH key line.</summary>
public sealed class AddBoxDialogTests : BoxesComponentTest
{
    private IRenderedComponent<BoxesPage> OpenDialog()
    {
        var page = Render<BoxesPage>();
        page.WaitForElement("[data-testid=box-add]").Click();
        Dialogs.WaitForElement("[data-testid=box-name-input]");
        return page;
    }

    private void Fill(string name, string addresses, string watch)
    {
        Type("box-name-input", name);
        Type("box-addresses-input", addresses);
        Type("box-watch-input", watch);
    }

    private void ChooseMethod(DeliveryKind kind)
    {
        var select = Dialogs.FindComponent<MudSelect<DeliveryKind>>();
        select.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(kind));
    }

    public static TheoryData<string, string, string> BadForms() => new()
    {
        { "", "nas2.lan", "" },
        { "   ", "nas2.lan", "" },
        { new string('n', BoxRules.MaxNameLength + 1), "nas2.lan", "" },
        { "nas\u202E2", "nas2.lan", "" },
        { "nas2", "", "" },
        { "nas2", "not a host!", "" },
        { "nas2", "nas2.lan, 300.1.1.1", "" },
        { "nas2", "nas2.lan", "nas2.lan:99999" },
        { "nas2", "nas2.lan", "nas2.lan:" },
        { "nas2", "nas2.lan", "https://nas2.lan/" },
        { "nas2", "nas2.lan", "[::1:443" },
    };

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task Save_BadInput_RefusalBesideTheFormEverythingKeptNothingStored(string name, string addresses, string watch)
    {
        var expected = BoxRules.Name(name).Error ?? BoxRules.Addresses(AddBoxDialog.Split(addresses)).Error ?? BoxRules.Endpoints(AddBoxDialog.Split(watch)).Error;
        Assert.NotNull(expected);
        OpenDialog();
        Fill(name, addresses, watch);

        Dialogs.Find("[data-testid=box-save]").Click();

        var refusal = Dialogs.WaitForElement("[data-testid=box-refusal]");
        Assert.Equal("alert", refusal.GetAttribute("role"));
        Assert.Equal(expected, refusal.TextContent.Trim());
        Assert.Equal(name, Value("box-name-input"));
        Assert.Equal(addresses, Value("box-addresses-input"));
        Assert.Equal(watch, Value("box-watch-input"));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == SynoCertPanel.Web.Components.Tokens.CreateTokenDialog.RevealFunction);
        Assert.Empty(await Boxes.ListAsync());
    }

    [Fact]
    public async Task Save_NameTaken_RefusedWithTheSentence()
    {
        await AddBoxAsync("nas2", ["nas2.lan"], []);
        OpenDialog();
        Fill("NAS2", "nas2.lan", "");

        Dialogs.Find("[data-testid=box-save]").Click();

        Assert.Equal("A box named \"NAS2\" already exists; choose another name or edit that one.", Dialogs.WaitForElement("[data-testid=box-refusal]").TextContent.Trim());
        Assert.Single(await Boxes.ListAsync());
    }

    [Fact]
    public async Task Save_WatchOnly_StoredListedAndDialogClosed()
    {
        var page = OpenDialog();
        Fill("router", "router.lan, 192.168.1.1", "192.168.1.1:443, router.lan:8443");

        Dialogs.Find("[data-testid=box-save]").Click();

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=box-dialog]")));
        var box = Assert.Single(await Boxes.ListAsync());
        Assert.Equal(["router.lan", "192.168.1.1"], box.Addresses);
        Assert.Equal(["192.168.1.1:443", "router.lan:8443"], box.Endpoints.Select(e => e.Display));
        Assert.Equal(DeliveryKind.None, box.Delivery);
        page.WaitForAssertion(() => Assert.Equal("router", page.Find("[data-testid=box-row-name]").TextContent));
    }

    [Fact]
    public async Task Webhook_FieldsFromTheMethodOptions_SecretIsAPasswordAndAMissingOneIsRefused()
    {
        OpenDialog();
        Fill("hook", "hook.lan", "");
        ChooseMethod(DeliveryKind.Webhook);

        var url = Dialogs.WaitForElement("input[data-testid=box-option-url], [data-testid=box-option-url] input");
        Assert.Equal("text", url.GetAttribute("type"));
        var secret = Dialogs.Find("input[data-testid=box-option-secret], [data-testid=box-option-secret] input");
        Assert.Equal("password", secret.GetAttribute("type"));
        Assert.Contains("URL (required)", Dialogs.Markup, StringComparison.Ordinal);
        Assert.Contains("Signing secret (required)", Dialogs.Markup, StringComparison.Ordinal);
        Assert.Contains("at least 16 characters", Dialogs.Markup, StringComparison.Ordinal);
        Type("box-option-url", "https://hook.lan/certificates");

        Dialogs.Find("[data-testid=box-save]").Click();

        var refusal = Dialogs.WaitForElement("[data-testid=box-refusal]").TextContent;
        Assert.Contains("ecret", refusal, StringComparison.Ordinal);
        Assert.Equal("https://hook.lan/certificates", Value("box-option-url"));
        Assert.Empty(await Boxes.ListAsync());

        Type("box-option-secret", "short");
        Dialogs.Find("[data-testid=box-save]").Click();
        Dialogs.WaitForAssertion(() => Assert.Equal("The signing secret must be at least 16 characters.", Text("box-refusal").Trim()));

        Type("box-option-secret", "a-signing-secret-of-32-characters");
        Dialogs.Find("[data-testid=box-save]").Click();
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=box-dialog]")));
        var box = Assert.Single(await Boxes.ListAsync());
        Assert.Equal(DeliveryKind.Webhook, box.Delivery);
        Assert.Equal(["secret"], box.SecretsSet);
        Assert.DoesNotContain("a-signing-secret", string.Join(" ", box.Settings.Values), StringComparison.Ordinal);
    }

    [Fact]
    public void Ssh_DefaultsArePlaceholdersAndTheKeyIsNotAskedFor()
    {
        OpenDialog();
        ChooseMethod(DeliveryKind.Ssh);

        var port = Dialogs.WaitForElement("input[data-testid=box-option-port], [data-testid=box-option-port] input");
        Assert.Equal("22", port.GetAttribute("placeholder"));
        Assert.True(string.IsNullOrEmpty(port.GetAttribute("value")));
        Assert.Equal("0600", Dialogs.Find("input[data-testid=box-option-key-mode], [data-testid=box-option-key-mode] input").GetAttribute("placeholder"));
        Assert.Contains("User (required)", Dialogs.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Login key (required)", Dialogs.Markup, StringComparison.Ordinal);
        Assert.NotNull(Dialogs.Find("textarea[data-testid=box-option-private-key], [data-testid=box-option-private-key] textarea"));
    }

    [Fact]
    public async Task Ssh_NoKeyGiven_ShowsTheAuthorizedKeysLineToCopy()
    {
        var page = OpenDialog();
        Fill("web1", "web1.lan", "web1.lan:443");
        ChooseMethod(DeliveryKind.Ssh);
        Type("box-option-user", "deploy");
        Type("box-option-cert-path", "/etc/nginx/tls/cert.pem");

        Dialogs.Find("[data-testid=box-save]").Click();

        var line = Dialogs.WaitForElement("input[data-testid=box-public-key], [data-testid=box-public-key] input").GetAttribute("value");
        var box = Assert.Single(await Boxes.ListAsync());
        Assert.Equal(box.Settings[BoxService.PublicKeySetting], line);
        Assert.Matches("^(ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa) [A-Za-z0-9+/=]+ ", line);
        Assert.Contains("synocertpanel-web1", line, StringComparison.Ordinal);
        Assert.Equal(["private-key"], box.SecretsSet);

        Dialogs.Find("[data-testid=box-public-key-copy]").Click();
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText" && (string?)i.Arguments[0] == line);
        Dialogs.Find("[data-testid=box-done]").Click();
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=box-dialog]")));
        page.WaitForAssertion(() => Assert.Equal("web1", page.Find("[data-testid=box-row-name]").TextContent));
    }

    [Fact]
    public async Task Source_Certificate_OffersServerCertificatesOnlyAndAsksForAChoice()
    {
        var seeded = await SeedAsync("nas1.lan");
        OpenDialog();
        Fill("nas2", "nas2.lan", "");
        Dialogs.Find("[data-testid=box-source-certificate] input, input[data-testid=box-source-certificate]").Click();
        Dialogs.WaitForElement("[data-testid=box-certificate-select]");
        Dialogs.Find("[data-testid=box-save]").Click();
        Assert.Equal("Choose the certificate to deliver, or choose \"None yet\".", Dialogs.WaitForElement("[data-testid=box-refusal]").TextContent.Trim());

        var select = Dialogs.FindComponent<MudSelect<int?>>();
        var offered = select.FindComponents<MudSelectItem<int?>>().Select(i => i.Instance.Value).ToList();
        Assert.DoesNotContain(seeded.AuthorityCertificateId, offered);
        await select.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(seeded.CertificateId));
        Dialogs.Find("[data-testid=box-save]").Click();

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=box-dialog]")));
        Assert.Equal(seeded.CertificateId, Assert.Single(await Boxes.ListAsync()).CertificateId);
    }
}
