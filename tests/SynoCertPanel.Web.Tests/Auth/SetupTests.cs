using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Web.Auth;

namespace SynoCertPanel.Web.Tests.Auth;

public sealed class SetupTests : IAsyncLifetime
{
    private TestPanel _panel = null!;

    public async Task InitializeAsync() => _panel = await TestPanel.StartAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private static Dictionary<string, string> Fields(string? token) => new()
    {
        ["SetupToken"] = token ?? string.Empty,
        ["UserName"] = TestPanel.AdminName,
        ["Password"] = TestPanel.AdminPassword,
        ["ConfirmPassword"] = TestPanel.AdminPassword,
    };

    [Fact]
    public void Start_NoAccount_LogsTheSetupTokenAndTheSetupUrl()
    {
        var line = Assert.Single(_panel.Logs.Messages, m => m.Contains("No account exists yet", StringComparison.Ordinal));

        Assert.Contains(_panel.SetupTokenText, line, StringComparison.Ordinal);
        Assert.Contains(new Uri(_panel.BaseAddress, "/setup").ToString(), line, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{8}(-[0-9a-f]{8}){3}$", _panel.SetupTokenText);
    }

    [Fact]
    public async Task Restart_AfterTheAdminWasCreated_SetupStaysClosedAndNothingIsLogged()
    {
        (await _panel.SetUpAdminAsync()).Dispose();

        await using var restarted = await TestPanel.StartAsync(dataDirectory: _panel.DataDirectory);

        Assert.False(restarted.App.Services.GetRequiredService<SetupToken>().IsOpen);
        Assert.DoesNotContain(restarted.Logs.Messages, m => m.Contains("No account exists yet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restart_NoAccountYet_OpensSetupAgainWithAFreshToken()
    {
        var first = _panel.SetupTokenText;

        await using var restarted = await TestPanel.StartAsync(dataDirectory: _panel.DataDirectory);

        Assert.True(restarted.App.Services.GetRequiredService<SetupToken>().IsOpen);
        Assert.NotEqual(first, restarted.SetupTokenText);
        Assert.Single(restarted.Logs.Messages, m => m.Contains("No account exists yet", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00000000-00000000-00000000-00000000")]
    public async Task Setup_MissingOrWrongToken_IsRefusedAndCreatesNothing(string? token)
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.SubmitAsync("/setup", "/setup", Fields(token));
        var login = await _panel.NewBrowser().SignInAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not the setup token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
    }

    [Fact]
    public async Task Setup_WithoutAntiforgeryToken_IsRefused()
    {
        using var browser = _panel.NewBrowser();
        await browser.GetPageAsync("/setup");

        var response = await browser.PostFormAsync("/setup", Fields(_panel.SetupTokenText));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("form has expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/setup")).StatusCode);
    }

    [Fact]
    public async Task Setup_RightToken_CreatesTheAdminSignsInAndThenSetupIsGone()
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.SubmitAsync("/setup", "/setup", Fields(_panel.SetupTokenText.ToUpperInvariant().Replace("-", " ", StringComparison.Ordinal)));
        var home = await browser.GetPageAsync("/");
        var setupAfter = await _panel.NewBrowser().GetPageAsync("/setup");
        var postAfter = await _panel.NewBrowser().PostFormAsync("/setup", Fields(_panel.SetupTokenText));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, setupAfter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, postAfter.StatusCode);
    }

    [Fact]
    public async Task Setup_ShortPassword_SaysWhyAndLeavesSetupOpen()
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.SubmitAsync("/setup", "/setup", new(Fields(_panel.SetupTokenText)) { ["Password"] = "short", ["ConfirmPassword"] = "short" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at least 12 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/setup")).StatusCode);
    }

    [Fact]
    public async Task Setup_EveryFieldWrong_ListsEveryProblemBesideItsFieldAndCreatesNothing()
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.SubmitAsync("/setup", "/setup", new()
        {
            ["SetupToken"] = "00000000-00000000-00000000-00000000",
            ["UserName"] = "bad name!",
            ["Password"] = "short",
            ["ConfirmPassword"] = "different",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Fix these 4 problems", html, StringComparison.Ordinal);
        Assert.Equal(4, html.Split("data-testid=\"field-error\"").Length - 1);
        Assert.Equal(4, html.Split("aria-invalid=\"true\"").Length - 1);
        Assert.Matches("id=\"SetupToken\"[^>]*aria-describedby=\"SetupToken-error\"[^>]*><p [^>]*id=\"SetupToken-error\"[^>]*>That is not the setup token", html);
        Assert.Matches("id=\"UserName\"[^>]*aria-describedby=\"UserName-error\"[^>]*><p [^>]*id=\"UserName-error\"[^>]*>[^<]*is invalid", html);
        Assert.Matches("id=\"Password\"[^>]*aria-describedby=\"Password-error\"[^>]*><p [^>]*id=\"Password-error\"[^>]*>[^<]*at least 12 characters", html);
        Assert.Matches("id=\"ConfirmPassword\"[^>]*aria-describedby=\"ConfirmPassword-error\"[^>]*><p [^>]*id=\"ConfirmPassword-error\"[^>]*>The two passwords differ", html);
        Assert.Contains("value=\"bad name!\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"00000000", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"short\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await _panel.NewBrowser().SignInAsync("bad name!", "short")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/setup")).StatusCode);
    }

    [Fact]
    public async Task Setup_RightTokenOnlyTheConfirmationDiffers_OneProblemAtTheConfirmation()
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.SubmitAsync("/setup", "/setup", new(Fields(_panel.SetupTokenText)) { ["ConfirmPassword"] = "another long password" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, html.Split("data-testid=\"field-error\"").Length - 1);
        Assert.Contains("id=\"ConfirmPassword-error\"", html, StringComparison.Ordinal);
        Assert.Contains("Fix this and send the form again", html, StringComparison.Ordinal);
        Assert.Contains($"id=\"SetupToken\" name=\"SetupToken\" type=\"text\" autocomplete=\"off\" class=\"panel-input\" value=\"{_panel.SetupTokenText}\"", html, StringComparison.Ordinal);
        Assert.NotNull(_panel.App.Services.GetRequiredService<SynoCertPanel.Web.Auth.SetupToken>().Display);
    }

    [Fact]
    public async Task Setup_EmptyUserName_AsksForOne()
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.SubmitAsync("/setup", "/setup", new(Fields(_panel.SetupTokenText)) { ["UserName"] = "   " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("id=\"UserName-error\"[^>]*>Choose a user name.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Login_WhileSetupIsPending_LinksToSetup()
    {
        using var browser = _panel.NewBrowser();

        var login = await browser.GetPageAsync("/login");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("No account exists yet. <a href=\"/setup\"", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
