using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Web.Auth;

namespace SynoCertPanel.Web.Tests.Auth;

public sealed class SessionEndTests : IAsyncLifetime
{
    private TestPanel _panel = null!;

    public async Task InitializeAsync()
    {
        _panel = await TestPanel.StartAsync();
        (await _panel.SetUpAdminAsync()).Dispose();
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task PasswordChange_OtherSessionsCookie_GoesToLoginOnTheVeryNextRequest()
    {
        using var laptop = _panel.NewBrowser();
        using var phone = _panel.NewBrowser();
        await laptop.SignInAsync();
        await phone.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await phone.GetPageAsync("/")).StatusCode);
        const string NewPassword = "a much longer new password";

        await laptop.SubmitAsync("/account/password", "/account/password", new()
        {
            ["CurrentPassword"] = TestPanel.AdminPassword,
            ["NewPassword"] = NewPassword,
            ["ConfirmPassword"] = NewPassword,
        });
        var page = await phone.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login", page.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetPageAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Logout_CopyOfTheOldCookie_IsRefused()
    {
        using var browser = _panel.NewBrowser();
        using var copy = _panel.NewBrowser();
        using var phone = _panel.NewBrowser();
        await browser.SignInAsync();
        await phone.SignInAsync();
        copy.Cookies.Add(browser.Cookies.GetAllCookies());
        Assert.Equal(HttpStatusCode.OK, (await copy.GetApiAsync("/api/certificates")).StatusCode);

        var logout = await browser.SubmitAsync("/account/password", "/logout", []);
        var page = await copy.GetPageAsync("/");

        Assert.Equal("/login", logout.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login", page.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetApiAsync("/api/certificates")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetApiAsync("/api/certificates")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/api/certificates")).StatusCode);
    }

    [Fact]
    public async Task Logout_EndedSessionsOlderThanACookieLifetime_AreForgotten()
    {
        using (var first = _panel.NewBrowser())
        {
            await first.SignInAsync();
            await first.SubmitAsync("/account/password", "/logout", []);
        }

        _panel.Clock.Advance(TimeSpan.FromHours(13));
        using var second = _panel.NewBrowser();
        await second.SignInAsync();
        await second.SubmitAsync("/account/password", "/logout", []);

        await using var scope = _panel.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        Assert.Equal(1, await db.UserTokens.CountAsync(t => t.LoginProvider == PanelSessions.EndedSessionProvider));
    }

    [Fact]
    public async Task Circuit_SessionSignedOut_EndsAtOnceAndDropsWhatTheBrowserSends()
    {
        var principal = await SignedInPrincipalAsync();
        await using var circuit = _panel.App.Services.CreateAsyncScope();
        var (state, inbound) = OpenCircuit(circuit, principal);
        var sessionId = principal.FindFirstValue(PanelClaims.SessionId)!;
        var circuits = _panel.App.Services.GetRequiredService<SessionCircuits>();
        Assert.True(await inbound());
        Assert.Equal(1, circuits.CountForSession(sessionId));

        await using (var request = _panel.App.Services.CreateAsyncScope())
        {
            await request.ServiceProvider.GetRequiredService<PanelSessions>().EndAsync(principal);
        }

        Assert.True(state.HasEnded);
        Assert.False((await state.GetAuthenticationStateAsync()).User.Identity!.IsAuthenticated);
        Assert.False(await inbound());
        Assert.Equal(0, circuits.CountForSession(sessionId));
    }

    [Fact]
    public async Task Circuit_PasswordChanged_EndsOtherSessionsCircuitsAtOnceButNotTheRenewedSessions()
    {
        var other = await SignedInPrincipalAsync();
        var renewed = await SignedInPrincipalAsync();
        await using var otherCircuit = _panel.App.Services.CreateAsyncScope();
        await using var renewedCircuit = _panel.App.Services.CreateAsyncScope();
        var (otherState, otherInbound) = OpenCircuit(otherCircuit, other);
        var (renewedState, renewedInbound) = OpenCircuit(renewedCircuit, renewed);

        await using (var request = _panel.App.Services.CreateAsyncScope())
        {
            var users = request.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = (await users.FindByNameAsync(TestPanel.AdminName))!;
            Assert.True((await users.ChangePasswordAsync(user, TestPanel.AdminPassword, "a much longer new password")).Succeeded);
            await request.ServiceProvider.GetRequiredService<PanelSessions>().RevalidateCircuitsAsync(user.Id, renewed.FindFirstValue(PanelClaims.SessionId));
        }

        Assert.True(otherState.HasEnded);
        Assert.False(await otherInbound());
        Assert.False(renewedState.HasEnded);
        Assert.True(await renewedInbound());
    }

    [Fact]
    public async Task Circuit_StampChangedWithoutNotice_EndsWithinTheRevalidationInterval()
    {
        var principal = await SignedInPrincipalAsync();
        await using var circuit = _panel.App.Services.CreateAsyncScope();
        var (state, _) = OpenCircuit(circuit, principal);
        var ended = new TaskCompletionSource();
        state.AuthenticationStateChanged += _ => ended.TrySetResult();

        await using (var request = _panel.App.Services.CreateAsyncScope())
        {
            var users = request.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            await users.UpdateSecurityStampAsync((await users.FindByNameAsync(TestPanel.AdminName))!);
        }

        await ended.Task.WaitAsync(CircuitAuthenticationStateProvider.Interval * 2);
        Assert.True(state.HasEnded);
    }

    /// <summary>The principal a sign-in puts in the cookie: Identity's claims plus the session's own.</summary>
    private async Task<ClaimsPrincipal> SignedInPrincipalAsync()
    {
        await using var scope = _panel.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<IdentityUser>>()
            .CreateAsync((await users.FindByNameAsync(TestPanel.AdminName))!);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(PanelClaims.SessionId, Guid.NewGuid().ToString("N")));
        return principal;
    }

    /// <summary>What the host does when a circuit starts: its scope's state provider gets the user, its handlers wrap every inbound call.</summary>
    private static (CircuitAuthenticationStateProvider State, Func<Task<bool>> Inbound) OpenCircuit(AsyncServiceScope circuit, ClaimsPrincipal principal)
    {
        var state = Assert.IsType<CircuitAuthenticationStateProvider>(circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
        state.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        var reached = false;
        var pipeline = circuit.ServiceProvider.GetServices<CircuitHandler>()
            .Aggregate<CircuitHandler, Func<CircuitInboundActivityContext, Task>>(_ =>
            {
                reached = true;
                return Task.CompletedTask;
            }, (next, handler) => handler.CreateInboundActivityHandler(next));
        return (state, async () =>
        {
            reached = false;
            await pipeline(null!);
            return reached;
        }
        );
    }
}
