using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SynoCertPanel.Web.Components.Layout;

namespace SynoCertPanel.Web.Tests.Components;

public sealed class MainLayoutTests : PanelComponentTest
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

    [Fact]
    public void Render_SignedIn_ShowsBoxNameUserAndNavigation()
    {
        var layout = RenderLayout();

        Assert.Equal("nas1", layout.Find("[data-testid=box-name]").TextContent.Trim());
        Assert.Contains(UserName, layout.Find("[data-testid=signed-in-user]").TextContent, StringComparison.Ordinal);
        var links = layout.FindAll("a.mud-nav-link").Select(a => (a.TextContent.Trim(), a.GetAttribute("href"))).ToList();
        Assert.Equal([("Certificates", "/"), ("Authorities", "/authorities"), ("ACME", "/acme"), ("Services", "/services"), ("Boxes", "/boxes"), ("Alerts", "/alerts"), ("Trust", "/trust"), ("Audit log", "/audit"), ("Settings", "/settings")], links);
        Assert.Contains("page body", layout.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Snackbar_Message_IsInsideALiveStatusRegion()
    {
        var layout = RenderLayout();

        layout.InvokeAsync(() => Services.GetRequiredService<ISnackbar>().Add("\"NAS one\" was deleted.", Severity.Success));

        layout.WaitForAssertion(() => Assert.Contains("was deleted", layout.Find("[data-testid=snackbar-region]").TextContent, StringComparison.Ordinal));
        Assert.Equal("status", layout.Find("[data-testid=snackbar-region]").GetAttribute("role"));
    }

    [Fact]
    public void ThemeToggle_Clicked_RemembersDarkInTheBrowser()
    {
        JSInterop.Setup<string?>("localStorage.getItem", "synocertpanel.theme").SetResult("light");
        var layout = RenderLayout();

        layout.Find("[data-testid=theme-toggle]").Click();

        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "localStorage.setItem"
            && (string)i.Arguments[0]! == "synocertpanel.theme" && (string)i.Arguments[1]! == "dark");
    }

    [Fact]
    public void ThemeToggle_Clicked_PutsTheChoiceInTheCookieTheServerReads()
    {
        JSInterop.Setup<string?>("localStorage.getItem", "synocertpanel.theme").SetResult("light");
        var layout = RenderLayout();

        layout.Find("[data-testid=theme-toggle]").Click();

        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "synoCertPanel.rememberTheme"
            && (string)i.Arguments[0]! == MainLayout.ThemeKey && (string)i.Arguments[1]! == "dark");
    }

    [Fact]
    public void Render_DarkHandedOverByTheServersFirstRender_IsDarkBeforeTheBrowserIsAsked()
    {
        PersistentState.Persist(MainLayout.ThemeKey, true);
        JSInterop.Setup<string?>("localStorage.getItem", "synocertpanel.theme").SetResult("dark");

        var layout = RenderLayout();

        Assert.Equal("Light theme", layout.FindComponents<MudBlazor.MudTooltip>()[^1].Instance.Text);
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier == "synoCertPanel.rememberTheme");
    }

    [Fact]
    public void Render_ChoiceStoredBeforeTheCookie_IsHonouredAndCopiedIntoTheCookie()
    {
        JSInterop.Setup<string?>("localStorage.getItem", "synocertpanel.theme").SetResult("dark");

        var layout = RenderLayout();

        layout.WaitForAssertion(() => Assert.Equal("Light theme", layout.FindComponents<MudBlazor.MudTooltip>()[^1].Instance.Text));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "synoCertPanel.rememberTheme" && (string)i.Arguments[1]! == "dark");
    }

    [Theory]
    [InlineData("dark", true)]
    [InlineData("light", false)]
    [InlineData("<script>alert(1)</script>", false)]
    [InlineData("", false)]
    public void FirstRender_ThemeCookie_PaintsThatThemeOrLightForAnythingElse(string cookie, bool dark)
    {
        var request = new DefaultHttpContext();
        request.Request.Headers.Cookie = $"{MainLayout.ThemeKey}={Uri.EscapeDataString(cookie)}";
        Services.GetRequiredService<IHttpContextAccessor>().HttpContext = request;
        // The browser has not answered yet: only the cookie can decide the first paint.
        JSInterop.Setup<string?>("localStorage.getItem", "synocertpanel.theme").SetResult(null);

        var layout = RenderLayout();

        Assert.Equal(dark ? "Light theme" : "Dark theme", layout.FindComponents<MudBlazor.MudTooltip>()[^1].Instance.Text);
        Assert.DoesNotContain("<script>", layout.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StoredDarkChoice_StartsDark()
    {
        JSInterop.Setup<string?>("localStorage.getItem", "synocertpanel.theme").SetResult("dark");

        var layout = RenderLayout();

        layout.WaitForAssertion(() => Assert.Equal("Light theme", layout.FindComponents<MudBlazor.MudTooltip>()[^1].Instance.Text));
        Assert.NotNull(layout.Find("#panel-interactive"));
    }
}
