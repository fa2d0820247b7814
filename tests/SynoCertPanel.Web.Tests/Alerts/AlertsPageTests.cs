using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SynoCertPanel.Core.Alerts;
using SynoCertPanel.Core.Tests.Alerts;
using SynoCertPanel.Web.Components.Pages;
using SynoCertPanel.Web.Tests.Components;

namespace SynoCertPanel.Web.Tests.Alerts;

/// <summary>The Alerts page over a real database: add and edit from the channel's own options, every refusal beside the form, Send test to a real local receiver, enable, delete, history.</summary>
public sealed class AlertsPageTests : PanelComponentTest
{
    private const string Secret = "page-signing-secret-0123456789";

    private IRenderedComponent<MudDialogProvider> Dialogs { get; set; } = null!;

    private AlertService Alerts => Services.GetRequiredService<AlertService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (Dialogs, _) = RenderProviders();
    }

    private void Type(string testId, string value) =>
        Dialogs.Find($"input[data-testid={testId}], [data-testid={testId}] input").Input(value);

    private string Value(string testId) =>
        Dialogs.Find($"input[data-testid={testId}], [data-testid={testId}] input").GetAttribute("value") ?? string.Empty;

    private void ChooseKind(AlertKind kind)
    {
        var select = Dialogs.FindComponent<MudSelect<AlertKind>>();
        select.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(kind));
    }

    private IRenderedComponent<AlertsPage> OpenAdd()
    {
        var page = Render<AlertsPage>();
        page.WaitForElement("[data-testid=alert-add]").Click();
        Dialogs.WaitForElement("[data-testid=alert-name-input]");
        return page;
    }

    private async Task<AlertChannelSummary> AddHookAsync(string url)
    {
        var added = await Alerts.AddAsync(new AlertChannelDraft
        {
            Name = "hook",
            Channel = "webhook",
            Settings = new Dictionary<string, string> { ["url"] = url },
            Secrets = new Dictionary<string, string> { ["secret"] = Secret },
        }, UserName);
        Assert.True(added.IsSuccess, added.Error);
        return added.Value;
    }

    [Fact]
    public void Page_NoChannels_SaysHowToAddOne_AndTheHistoryIsEmpty()
    {
        var page = Render<AlertsPage>();

        page.WaitForAssertion(() => Assert.Contains("No alert channel yet", page.Find("[data-testid=alert-empty]").TextContent, StringComparison.Ordinal));
        Assert.Equal("No alert was sent yet.", page.Find("[data-testid=alert-history-empty]").TextContent.Trim());
    }

    [Fact]
    public async Task Add_Webhook_FieldsFromItsOptions_SecretIsAPassword_ThenListed()
    {
        var page = OpenAdd();
        Type("alert-name-input", "hook");
        ChooseKind(AlertKind.Webhook);
        Dialogs.WaitForElement("[data-testid=alert-option-url] input, input[data-testid=alert-option-url]");
        Assert.Equal("password", Dialogs.Find("[data-testid=alert-option-secret] input, input[data-testid=alert-option-secret]").GetAttribute("type"));
        Assert.Contains("Signing secret (required)", Dialogs.Markup, StringComparison.Ordinal);
        Type("alert-option-url", "https://hooks.lan/alerts");
        Type("alert-option-secret", Secret);

        Dialogs.Find("[data-testid=alert-save]").Click();

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=alert-dialog]")));
        var channel = Assert.Single(await Alerts.ListAsync());
        Assert.Equal(("hook", "webhook"), (channel.Name, channel.Kind));
        Assert.Equal(["secret"], channel.SecretsSet);
        page.WaitForAssertion(() => Assert.Equal("https://hooks.lan/alerts", page.Find("[data-testid=alert-row-target]").TextContent));
        Assert.Equal("Never", page.Find($"[data-testid=alert-last-sent-{channel.Id}]").TextContent);
        Assert.DoesNotContain(Secret, page.Markup + Dialogs.Markup, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string> BadForms() => new()
    {
        { "", "https://hooks.lan/", Secret, "Give the alert channel a name" },
        { "<script>alert(1)</script>", "https://hooks.lan/", Secret, "is not allowed" },
        { new string('n', 300), "https://hooks.lan/", Secret, "is not allowed" },
        { "hook", "", Secret, "needs the url" },
        { "hook", "javascript:alert(1)", Secret, "is not an http:// or https:// URL" },
        { "hook", "https://user:pw@hooks.lan/", Secret, "Put no account or password" },
        { "hook", "https://" + new string('a', 3000), Secret, "too long" },
        { "hook", "https://hooks.lan/", "", "needs the signing secret" },
        { "hook", "https://hooks.lan/", "short", "at least 16 characters" },
    };

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task Add_BadInput_RefusalBesideTheForm_EverythingKept_NothingStored(string name, string url, string secret, string reason)
    {
        OpenAdd();
        Type("alert-name-input", name);
        ChooseKind(AlertKind.Webhook);
        Dialogs.WaitForElement("[data-testid=alert-option-url] input, input[data-testid=alert-option-url]");
        Type("alert-option-url", url);
        Type("alert-option-secret", secret);

        Dialogs.Find("[data-testid=alert-save]").Click();

        var refusal = Dialogs.WaitForElement("[data-testid=alert-refusal]");
        Assert.Equal("alert", refusal.GetAttribute("role"));
        Assert.Contains(reason, refusal.TextContent, StringComparison.Ordinal);
        Assert.Equal((name, url), (Value("alert-name-input"), Value("alert-option-url")));
        Assert.Empty(await Alerts.ListAsync());
    }

    [Fact]
    public async Task SendTest_ToALocalReceiver_SaysSo_AndTheHistoryShowsIt_ThenAFailureIsAnAlert()
    {
        await using var receiver = AlertReceiver.Start();
        var channel = await AddHookAsync(receiver.Url + "/alerts");
        var page = Render<AlertsPage>();

        page.WaitForElement($"[data-testid=alert-test-{channel.Id}]").Click();

        var outcome = page.WaitForElement("[data-testid=alert-outcome]");
        Assert.Equal("status", outcome.GetAttribute("role"));
        Assert.Equal("A test message was sent to hook: \"SynoCertPanel test message for hook\".", outcome.TextContent.Trim());
        Assert.Equal("/alerts", Assert.Single(receiver.Received).Path);
        page.WaitForAssertion(() => Assert.Equal("Delivered", page.Find("[data-testid=alert-history-outcome]").TextContent.Trim()));
        Assert.Equal("SynoCertPanel test message for hook", page.Find("[data-testid=alert-history-subject]").TextContent);
        Assert.NotEqual("Never", page.Find($"[data-testid=alert-last-sent-{channel.Id}]").TextContent);

        receiver.Status = 500;
        page.Find($"[data-testid=alert-test-{channel.Id}]").Click();

        page.WaitForAssertion(() => Assert.Equal("alert", page.Find("[data-testid=alert-outcome]").GetAttribute("role")));
        Assert.StartsWith("The test message to hook did not arrive. Refused: ", page.Find("[data-testid=alert-outcome]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(["Failed", "Delivered"], page.FindAll("[data-testid=alert-history-outcome]").Select(c => c.TextContent.Trim()));
        Assert.StartsWith("Refused: ", page.Find($"[data-testid=alert-last-error-{channel.Id}]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_StartsFromTheStoredChannel_SecretNeverSentBack_SaveKeepsIt()
    {
        await using var receiver = AlertReceiver.Start();
        var channel = await AddHookAsync("https://hooks.lan/old");
        var page = Render<AlertsPage>();
        page.WaitForElement($"[data-testid=alert-edit-{channel.Id}]").Click();
        Dialogs.WaitForElement("[data-testid=alert-name-input]");

        Assert.Equal(("hook", "https://hooks.lan/old"), (Value("alert-name-input"), Value("alert-option-url")));
        var secret = Dialogs.Find("[data-testid=alert-option-secret] input, input[data-testid=alert-option-secret]");
        Assert.True(string.IsNullOrEmpty(secret.GetAttribute("value")));
        Assert.Equal("set — leave empty to keep", secret.GetAttribute("placeholder"));
        Assert.DoesNotContain(Secret, Dialogs.Markup, StringComparison.Ordinal);

        Type("alert-option-url", "javascript:alert(1)");
        Dialogs.Find("[data-testid=alert-save]").Click();
        Assert.Contains("is not an http:// or https:// URL", Dialogs.WaitForElement("[data-testid=alert-refusal]").TextContent, StringComparison.Ordinal);
        Assert.Equal("https://hooks.lan/old", (await Alerts.ListAsync()).Single().Settings["url"]);

        Type("alert-option-url", receiver.Url + "/new");
        Dialogs.Find("[data-testid=alert-save]").Click();
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=alert-dialog]")));
        var sent = await Alerts.SendTestAsync("hook", UserName);

        Assert.Equal(Core.Storage.AlertSendOutcome.Sent, sent.Value.Outcome);
        var request = Assert.Single(receiver.Received);
        Assert.Equal("/new", request.Path);
        Assert.Equal(Core.Boxes.Webhook.WebhookDelivery.Sign(Secret, request.Body), request.Header("X-Signature"));
    }

    [Fact]
    public async Task DisableEnableAndDelete_WithAConfirm_HistoryStays()
    {
        await using var receiver = AlertReceiver.Start();
        var channel = await AddHookAsync(receiver.Url);
        await Alerts.SendTestAsync("hook", UserName);
        var page = Render<AlertsPage>();
        var id = channel.Id.ToString(CultureInfo.InvariantCulture);

        page.WaitForElement($"[data-testid=alert-toggle-{id}]").Click();
        page.WaitForElement($"[data-testid=alert-disabled-{id}]");
        Assert.False((await Alerts.FindAsync(id)).Value.Enabled);
        page.Find($"[data-testid=alert-toggle-{id}]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=alert-disabled-{id}]")));

        page.Find($"[data-testid=alert-delete-{id}]").Click();
        Dialogs.WaitForElement("[data-testid=alert-delete-cancel]").Click();
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=alert-delete-dialog]")));
        Assert.Single(await Alerts.ListAsync());
        page.Find($"[data-testid=alert-delete-{id}]").Click();
        Dialogs.WaitForElement("[data-testid=alert-delete-confirm]").Click();

        page.WaitForElement("[data-testid=alert-empty]");
        Assert.Empty(await Alerts.ListAsync());
        Assert.Equal("hook", page.Find("[data-testid=alert-history-channel]").TextContent);
    }
}
