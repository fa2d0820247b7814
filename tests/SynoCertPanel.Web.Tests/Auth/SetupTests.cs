using System.Net;

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
}
