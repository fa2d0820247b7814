using System.Net;
using System.Text.RegularExpressions;

namespace SynoCertPanel.Web.Tests.Auth;

public sealed partial class TwoFactorTests : IAsyncLifetime
{
    private TestPanel _panel = null!;

    public async Task InitializeAsync()
    {
        _panel = await TestPanel.StartAsync();
        (await _panel.SetUpAdminAsync()).Dispose();
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private static async Task<string> EnrolAsync(Browser browser)
    {
        var page = await (await browser.GetPageAsync("/account/two-factor")).Content.ReadAsStringAsync();
        var key = KeyAttribute().Match(page).Groups[1].Value;
        var enabled = await browser.SubmitAsync("/account/two-factor", "/account/two-factor/enable", new() { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Contains("is <strong>on</strong>", await enabled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        return key;
    }

    [Fact]
    public async Task Enrol_ShowsAQrCodeOfTheOtpauthUri()
    {
        using var browser = _panel.NewBrowser();
        await browser.SignInAsync();

        var page = await (await browser.GetPageAsync("/account/two-factor")).Content.ReadAsStringAsync();
        var qr = await browser.GetPageAsync("/account/two-factor/qr.svg");

        Assert.Matches(KeyAttribute(), page);
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await qr.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrol_WrongCode_LeavesTwoFactorOff()
    {
        using var browser = _panel.NewBrowser();
        await browser.SignInAsync();

        var response = await browser.SubmitAsync("/account/two-factor", "/account/two-factor/enable", new() { ["Code"] = "000000" });
        using var other = _panel.NewBrowser();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await other.SignInAsync()).StatusCode);
    }

    [Fact]
    public async Task Login_WithTwoFactorOn_NeedsTheCurrentCode()
    {
        using var enrolling = _panel.NewBrowser();
        await enrolling.SignInAsync();
        var key = await EnrolAsync(enrolling);
        using var browser = _panel.NewBrowser();

        var password = await browser.SignInAsync();
        var notYet = await browser.GetPageAsync("/");
        var wrong = await browser.SubmitAsync("/login", "/login/two-factor", new() { ["Code"] = "000000", ["ReturnUrl"] = "/" });
        var right = await browser.SubmitAsync("/login", "/login/two-factor", new() { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow), ["ReturnUrl"] = "/" });
        var home = await browser.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.OK, password.StatusCode);
        Assert.Contains("authenticator app", await password.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, notYet.StatusCode);
        Assert.Contains("Wrong or expired code.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task TwoFactorCodeStep_WithoutPasswordStep_IsRefused()
    {
        using var enrolling = _panel.NewBrowser();
        await enrolling.SignInAsync();
        var key = await EnrolAsync(enrolling);
        using var browser = _panel.NewBrowser();

        var response = await browser.SubmitAsync("/login", "/login/two-factor", new() { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow), ["ReturnUrl"] = "/" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetPageAsync("/")).StatusCode);
    }

    [GeneratedRegex("data-key=\"([A-Z2-7]+)\"")]
    private static partial Regex KeyAttribute();
}
