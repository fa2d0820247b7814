using System.Net;

namespace SynoCertPanel.Web.Tests.Auth;

public sealed class SessionTests : IAsyncLifetime
{
    private TestPanel _panel = null!;

    public async Task InitializeAsync()
    {
        _panel = await TestPanel.StartAsync();
        (await _panel.SetUpAdminAsync()).Dispose();
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task PasswordChange_EndsOtherSessionsButKeepsThisOne()
    {
        using var laptop = _panel.NewBrowser();
        using var phone = _panel.NewBrowser();
        await laptop.SignInAsync();
        await phone.SignInAsync();
        const string NewPassword = "a much longer new password";

        var change = await laptop.SubmitAsync("/account/password", "/account/password", new()
        {
            ["CurrentPassword"] = TestPanel.AdminPassword,
            ["NewPassword"] = NewPassword,
            ["ConfirmPassword"] = NewPassword,
        });
        _panel.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetApiAsync("/api/certificates")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetApiAsync("/api/certificates")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.SignInAsync(password: NewPassword)).StatusCode);
    }

    [Fact]
    public async Task PasswordChange_WrongCurrentPassword_SaysSo()
    {
        using var browser = _panel.NewBrowser();
        await browser.SignInAsync();

        var change = await browser.SubmitAsync("/account/password", "/account/password", new()
        {
            ["CurrentPassword"] = "not the password",
            ["NewPassword"] = "a much longer new password",
            ["ConfirmPassword"] = "a much longer new password",
        });

        Assert.Equal(HttpStatusCode.BadRequest, change.StatusCode);
        Assert.Contains("The current password is wrong.", await change.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireRecentLogin_FreshLogin_AllowsTheDownload()
    {
        using var browser = _panel.NewBrowser();
        await browser.SignInAsync();

        var response = await browser.GetApiAsync("/keys/download");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("private key", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RequireRecentLogin_OldLogin_IsRefusedUntilThePasswordIsEnteredAgain()
    {
        using var browser = _panel.NewBrowser();
        await browser.SignInAsync();
        _panel.Clock.Advance(TimeSpan.FromMinutes(6));

        var api = await browser.GetApiAsync("/keys/download");
        var page = await browser.GetPageAsync("/keys/download");
        var wrong = await browser.SubmitAsync("/reauthenticate", "/reauthenticate", new() { ["Password"] = "not the password", ["ReturnUrl"] = "/keys/download" });
        var right = await browser.SubmitAsync("/reauthenticate", "/reauthenticate", new() { ["Password"] = TestPanel.AdminPassword, ["ReturnUrl"] = "/keys/download" });
        var after = await browser.GetApiAsync("/keys/download");

        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/api/certificates")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/reauthenticate?ReturnUrl=%2Fkeys%2Fdownload", page.Headers.Location!.OriginalString);
        Assert.Contains("Wrong password.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/keys/download", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task RequireRecentLogin_SurvivesTheSecurityStampRefresh()
    {
        using var browser = _panel.NewBrowser();
        await browser.SignInAsync();
        _panel.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/api/certificates")).StatusCode);

        _panel.Clock.Advance(TimeSpan.FromMinutes(2));
        var recent = await browser.GetApiAsync("/keys/download");
        _panel.Clock.Advance(TimeSpan.FromMinutes(2));
        var old = await browser.GetApiAsync("/keys/download");

        Assert.Equal(HttpStatusCode.OK, recent.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, old.StatusCode);
    }
}
