using Bunit;
using MudBlazor;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Web.Components.Boxes;
using SynoCertPanel.Web.Components.Pages;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>The Boxes page's table, its row actions and their dialogs, over a real database; probes go to real loopback ports.</summary>
public sealed class BoxesPageTests : BoxesComponentTest
{
    [Fact]
    public void Page_NoBoxes_SaysHowToAddOne()
    {
        var page = Render<BoxesPage>();

        page.WaitForAssertion(() => Assert.Contains("No box yet", page.Find("[data-testid=box-empty]").TextContent, StringComparison.Ordinal));
        Assert.NotNull(page.Find("[data-testid=box-add]"));
    }

    public static TheoryData<string?, string, Color> States() => new()
    {
        { null, "Not checked", Color.Default },
        { "ok", "OK", Color.Success },
        { "expiring-14", "Expiring (14 days)", Color.Warning },
        { "not-latest", "Not the latest", Color.Warning },
        { "weak", "Weak", Color.Warning },
        { "name-not-covered", "Name not covered", Color.Error },
        { "untrusted", "Untrusted", Color.Error },
        { "expired", "Expired", Color.Error },
        { "unreachable", "Unreachable", Color.Error },
    };

    [Theory]
    [MemberData(nameof(States))]
    public async Task Table_StoredState_ChipWithLabelColourAndItsSentenceOnTap(string? state, string label, Color colour)
    {
        var box = await AddBoxAsync("nas2", ["nas2.lan"], ["nas2.lan:5001"]);
        var endpoint = box.Endpoints.Single();
        var sentence = state is null ? null : $"nas2.lan:5001 is {state}: the sentence the probe wrote.";
        await SetStateAsync(endpoint.Id, state, sentence, state is null ? null : new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero));

        var page = Render<BoxesPage>();

        var chip = page.WaitForElement($"[data-testid=endpoint-state-{endpoint.Id}]");
        Assert.Equal(label, chip.TextContent.Trim());
        Assert.Equal(state ?? "none", chip.GetAttribute("data-state"));
        Assert.Equal(colour, page.FindComponents<MudChip<string>>().Single(c => c.Markup.Contains($"endpoint-state-{endpoint.Id}", StringComparison.Ordinal)).Instance.Color);
        Assert.Equal(sentence ?? "Not probed yet: use Check now.", page.FindComponent<MudTooltip>().Instance.Text);
        Assert.Empty(page.FindAll($"[data-testid=endpoint-message-{endpoint.Id}]"));

        chip.Click();

        Assert.Equal(sentence ?? "Not probed yet: use Check now.", page.Find($"[data-testid=endpoint-message-{endpoint.Id}]").TextContent.Trim());
        if (state is not null)
        {
            Assert.Contains("Checked 2026-12-01 08:30 UTC", page.Find($"[data-testid=endpoint-{endpoint.Id}]").TextContent, StringComparison.Ordinal);
            Assert.Equal("Serves until 2027-03-01", page.Find($"[data-testid=endpoint-expiry-{endpoint.Id}]").TextContent);
        }
    }

    [Fact]
    public async Task Table_SeveralBoxes_WorstFirstAndDisabledLast()
    {
        var healthy = await AddBoxAsync("alpha", ["alpha.lan"], ["alpha.lan:443"]);
        var down = await AddBoxAsync("zulu", ["zulu.lan"], ["zulu.lan:443"]);
        var expiring = await AddBoxAsync("mike", ["mike.lan"], ["mike.lan:443", "mike.lan:8443"]);
        var disabled = await AddBoxAsync("bravo", ["bravo.lan"], ["bravo.lan:443"]);
        await SetStateAsync(healthy.Endpoints[0].Id, "ok", "fine");
        await SetStateAsync(down.Endpoints[0].Id, "unreachable", "refused");
        await SetStateAsync(expiring.Endpoints[0].Id, "ok", "fine");
        await SetStateAsync(expiring.Endpoints[1].Id, "expiring-7", "soon");
        await SetStateAsync(disabled.Endpoints[0].Id, "expired", "expired");
        Assert.True((await Boxes.SetEnabledAsync("bravo", false, UserName)).IsSuccess);

        var page = Render<BoxesPage>();

        page.WaitForAssertion(() => Assert.Equal(["zulu", "mike", "alpha", "bravo"], page.FindAll("[data-testid=box-row-name]").Select(n => n.TextContent)));
        Assert.NotNull(page.Find($"[data-testid=box-disabled-{disabled.Id}]"));
        Assert.Equal("Enable", page.Find($"[data-testid=box-toggle-{disabled.Id}]").TextContent.Trim());
    }

    [Fact]
    public async Task Table_WatchOnlyBox_OffersNoDeploy()
    {
        var watched = await AddBoxAsync("router", ["192.168.1.1"], []);
        var delivered = await AddBoxAsync("hook", ["hook.lan"], [], "webhook",
            new Dictionary<string, string> { ["url"] = "https://hook.lan/certificates" }, new Dictionary<string, string> { ["secret"] = "a-signing-secret-of-32-characters" });

        var page = Render<BoxesPage>();

        page.WaitForElement($"[data-testid=box-deploy-{delivered.Id}]");
        Assert.Empty(page.FindAll($"[data-testid=box-deploy-{watched.Id}]"));
        // No endpoint given: the first address on 443 is watched.
        Assert.Contains("192.168.1.1:443", page.Find($"[data-testid=endpoint-{watched.Endpoints[0].Id}]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Toggle_EnabledBox_DisabledStoredAndShown()
    {
        var box = await AddBoxAsync("nas2", ["nas2.lan"], []);
        var page = Render<BoxesPage>();

        page.WaitForElement($"[data-testid=box-toggle-{box.Id}]").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find($"[data-testid=box-disabled-{box.Id}]")));
        Assert.False((await Boxes.FindAsync("nas2")).Value.Enabled);
        page.Find($"[data-testid=box-toggle-{box.Id}]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=box-disabled-{box.Id}]")));
        Assert.True((await Boxes.FindAsync("nas2")).Value.Enabled);
    }

    [Fact]
    public async Task Delete_Confirmed_SaysCertificatesStayAndRemovesTheBox()
    {
        var box = await AddBoxAsync("nas2", ["nas2.lan"], ["nas2.lan:5001", "nas2.lan:443"]);
        var page = Render<BoxesPage>();

        page.WaitForElement($"[data-testid=box-delete-{box.Id}]").Click();

        var consequences = Dialogs.WaitForElement("[data-testid=box-delete-consequences]").TextContent;
        Assert.Contains("its 2 watched endpoint(s)", consequences, StringComparison.Ordinal);
        Assert.Contains("The certificates it used stay in the inventory", consequences, StringComparison.Ordinal);
        Dialogs.Find("[data-testid=box-delete-confirm]").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=box-empty]")));
        Assert.Empty(await Boxes.ListAsync());
    }

    [Fact]
    public async Task Delete_Cancelled_KeepsTheBox()
    {
        var box = await AddBoxAsync("nas2", ["nas2.lan"], []);
        var page = Render<BoxesPage>();

        page.WaitForElement($"[data-testid=box-delete-{box.Id}]").Click();
        Dialogs.WaitForElement("[data-testid=box-delete-cancel]").Click();

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=box-delete-dialog]")));
        Assert.Single(await Boxes.ListAsync());
    }

    [Fact]
    public async Task TestConnection_WatchOnly_SaysThereIsNothingToLogInTo()
    {
        var box = await AddBoxAsync("router", ["192.168.1.1"], []);
        var page = Render<BoxesPage>();

        page.WaitForElement($"[data-testid=box-test-{box.Id}]").Click();

        var outcome = page.WaitForElement("[data-testid=box-test-outcome]");
        Assert.Equal("status", outcome.GetAttribute("role"));
        Assert.Contains("watched only: there is nothing to log in to", outcome.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnection_ReceiverDown_NamesTheFailedStepAndTheSentence()
    {
        var port = ClosedPort();
        var box = await AddBoxAsync("hook", ["localhost"], [], "webhook",
            new Dictionary<string, string> { ["url"] = $"http://127.0.0.1:{port}/hook" }, new Dictionary<string, string> { ["secret"] = "a-signing-secret-of-32-characters" });
        var page = Render<BoxesPage>();

        page.WaitForElement($"[data-testid=box-test-{box.Id}]").Click();

        var outcome = page.WaitForElement("[data-testid=box-test-outcome]", TimeSpan.FromSeconds(30));
        Assert.Equal("alert", outcome.GetAttribute("role"));
        Assert.Equal(BoxActivityView.StepName(DeliveryFailure.Connect), page.Find("[data-testid=box-test-step]").TextContent);
        Assert.Contains($"{port}", outcome.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckNow_NothingListening_ShowsUnreachableVerdictAndStoresIt()
    {
        var port = ClosedPort();
        var box = await AddBoxAsync("down", ["127.0.0.1"], [At("127.0.0.1", port)]);
        var page = Render<BoxesPage>();

        page.WaitForElement($"[data-testid=box-check-{box.Id}]").Click();

        var result = page.WaitForElement($"[data-testid=box-check-result-{box.Endpoints[0].Id}]", TimeSpan.FromSeconds(30));
        Assert.Equal("Unreachable", result.QuerySelector("[data-testid=box-check-state]")!.TextContent.Trim());
        Assert.Contains($"127.0.0.1:{port}", result.TextContent, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Equal("unreachable", page.Find($"[data-testid=endpoint-state-{box.Endpoints[0].Id}]").GetAttribute("data-state")));
        Assert.Equal("unreachable", (await Boxes.FindAsync("down")).Value.Endpoints[0].State);
    }
}
