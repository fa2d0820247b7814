using System.Net;

namespace SynoCertPanel.Web.Tests.Auth;

public sealed class LoginTests : IAsyncLifetime
{
    private TestPanel _panel = null!;

    public async Task InitializeAsync()
    {
        _panel = await TestPanel.StartAsync();
        (await _panel.SetUpAdminAsync()).Dispose();
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task Login_RightPassword_SetsAStrictSecureHostOnlySessionCookie()
    {
        using var browser = _panel.NewBrowser();

        var response = await browser.SignInAsync();
        var home = await browser.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-synocert=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task Login_AfterSetup_NoLinkToSetup()
    {
        using var browser = _panel.NewBrowser();

        var html = await (await browser.GetPageAsync("/login")).Content.ReadAsStringAsync();

        Assert.Contains("id=\"UserName\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/setup", html, StringComparison.Ordinal);
        Assert.DoesNotContain("No account exists yet", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_Twice_IssuesADifferentSessionCookie()
    {
        using var browser = _panel.NewBrowser();

        var first = (await browser.SignInAsync()).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-synocert=", StringComparison.Ordinal));
        var second = (await browser.SignInAsync()).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-synocert=", StringComparison.Ordinal));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Login_WrongPasswordOrUnknownName_GetTheSameMessage()
    {
        using var browser = _panel.NewBrowser();

        var wrongPassword = await browser.SignInAsync(password: "not the password");
        var unknownName = await browser.SignInAsync(userName: "nobody");

        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownName.StatusCode);
        Assert.Contains("Wrong user name or password.", await wrongPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Wrong user name or password.", await unknownName.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetPageAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData(TestPanel.AdminName)]
    [InlineData("nobody")]
    public async Task Login_FiveWrongPasswords_LocksOutFor15MinutesEvenWithTheRightPassword(string userName)
    {
        using var browser = _panel.NewBrowser();
        var messages = new List<string>();

        for (var i = 0; i < 5; i++)
        {
            messages.Add(await (await browser.SignInAsync(userName, "not the password")).Content.ReadAsStringAsync());
        }

        var right = await browser.SignInAsync(userName);

        Assert.All(messages.Take(4), m => Assert.Contains("Wrong user name or password.", m, StringComparison.Ordinal));
        Assert.Contains("signing in is locked. Try again in 15 minutes.", messages[4], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("signing in is locked. Try again in 15 minutes.", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_IsRefused()
    {
        using var browser = _panel.NewBrowser();
        await browser.GetPageAsync("/login");

        var response = await browser.PostFormAsync("/login", new() { ["UserName"] = TestPanel.AdminName, ["Password"] = TestPanel.AdminPassword });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetPageAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Logout_EndsTheSession()
    {
        using var browser = _panel.NewBrowser();
        await browser.SignInAsync();

        var withoutToken = await browser.PostFormAsync("/logout", []);
        var stillIn = await browser.GetPageAsync("/");
        var logout = await browser.SubmitAsync("/account/password", "/logout", []);
        var after = await browser.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/login", after.Headers.Location!.AbsolutePath);
    }
}
