using System.Net;
using System.Net.Sockets;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Web.Components.Settings;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Components;

public sealed class ListenerSettingsTests : RunningPanelComponentTest
{
    [Theory]
    [InlineData("abc", "8080", "127.0.0.1", "The HTTPS port \"abc\" is not a port number (1–65535)")]
    [InlineData("0", "8080", "127.0.0.1", "The HTTPS port \"0\" is not a port number")]
    [InlineData("70000", "8080", "127.0.0.1", "The HTTPS port \"70000\" is not a port number")]
    [InlineData("-1", "8080", "127.0.0.1", "The HTTPS port \"-1\" is not a port number")]
    [InlineData("", "8080", "127.0.0.1", "The HTTPS port \"\" is not a port number")]
    [InlineData("8443", "65536", "127.0.0.1", "The HTTP redirect port \"65536\" is not a port number (1–65535, or 0 to turn it off)")]
    [InlineData("8443", "8443", "127.0.0.1", "The HTTPS and the HTTP redirect port are both 8443")]
    [InlineData("8443", "8080", "", "Give at least one address to listen on")]
    [InlineData("8443", "8080", "1", "\"1\" is not an IP address")]
    [InlineData("8443", "8080", "127.1", "\"127.1\" is not an IP address")]
    [InlineData("8443", "8080", "010.0.0.1", "\"010.0.0.1\" is not an IP address")]
    [InlineData("8443", "8080", "999.1.1.1", "\"999.1.1.1\" is not an IP address")]
    [InlineData("8443", "8080", "fe80::1%eth0", "\"fe80::1%eth0\" is not an IP address")]
    [InlineData("8443", "8080", "nas.home.arpa", "\"nas.home.arpa\" is not an IP address")]
    [InlineData("8443", "8080", "<b>x</b>", "\"<b>x</b>\" is not an IP address")]
    [InlineData("8443", "8080", "224.0.0.1", "224.0.0.1 cannot be listened on (multicast or broadcast)")]
    [InlineData("8443", "8080", "127.0.0.1, 127.0.0.1", "An address is listed twice")]
    [InlineData("8443", "8080", "0.0.0.0, 127.0.0.1", "0.0.0.0 already includes every address")]
    [InlineData("8443", "8080", "10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5", "At most 4 addresses")]
    public async Task Review_BadInput_ShowsTheReasonAndChangesNothing(string https, string http, string addresses, string expected)
    {
        var before = Panel.Endpoint;
        var page = Render<ListenerSettings>();

        Fill(page, https, http, addresses);
        page.Find("form").Submit();

        var invalid = page.WaitForElement("[data-testid=listener-invalid]");
        Assert.Contains(expected, invalid.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=listener-confirmation]"));
        Assert.Empty(page.FindAll("[data-testid=listener-apply]"));
        Assert.Equal(before, Panel.Endpoint);
        await using var db = (await Panel.OpenSecondStorageAsync()).CreateContext();
        Assert.False(await db.Settings.AnyAsync(s => s.Name == ListenerBindingStore.Setting));
    }

    [Fact]
    public async Task Move_FreePort_ConfirmsThenMovesAndNavigatesToTheNewAddress()
    {
        var port = FreePort();
        var page = Render<ListenerSettings>();
        Fill(page, port.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", "127.0.0.1");
        page.Find("form").Submit();

        var confirmation = page.WaitForElement("[data-testid=listener-confirmation]");
        Assert.Contains($"HTTPS port {port}, without an HTTP redirect", confirmation.TextContent, StringComparison.Ordinal);
        Assert.Contains("if it does not answer, the panel stays where it is", confirmation.TextContent, StringComparison.Ordinal);
        Assert.Equal($"https://localhost:{port}/settings", page.Find("[data-testid=listener-new-url]").TextContent);
        page.Find("[data-testid=listener-apply]").Click();

        page.WaitForAssertion(() => Assert.Contains($"HTTPS {port}, HTTP off on 127.0.0.1", page.Find("[data-testid=listener-moved]").TextContent,
            StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Equal($"https://localhost:{port}/settings", navigation.Uri), TimeSpan.FromSeconds(10));
        Assert.Equal(Panel.Served.Thumbprint, Panel.OpenSslThumbprint(port));
    }

    [Fact]
    public void Move_PortHeldByAnotherProgram_ShowsTheRefusalAndStays()
    {
        var before = Panel.Endpoint;
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var taken = ((IPEndPoint)other.LocalEndpoint).Port;
        var page = Render<ListenerSettings>();
        Fill(page, taken.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", "127.0.0.1");
        page.Find("form").Submit();

        page.WaitForElement("[data-testid=listener-apply]").Click();

        page.WaitForAssertion(() => Assert.Contains($"another program already listens on 127.0.0.1:{taken}",
            page.Find("[data-testid=listener-failure]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Equal(before, Panel.Endpoint);
        Assert.Equal("http://localhost/", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void Render_StartedWithGivenOptions_SaysThatTheyWinAtTheNextStart()
    {
        var page = Render<ListenerSettings>();

        Assert.Contains("--https-port / SYNOCERT_HTTPS_PORT", page.Find("[data-testid=listener-given]").TextContent, StringComparison.Ordinal);
        Assert.Contains($"https://127.0.0.1:{Panel.Endpoint.Port}", page.Find("[data-testid=listener-bound]").TextContent, StringComparison.Ordinal);
    }

    private static void Fill(IRenderedComponent<ListenerSettings> page, string https, string http, string addresses)
    {
        page.Find("#listener-https-port").Change(https);
        page.Find("#listener-http-port").Change(http);
        page.Find("#listener-addresses").Change(addresses);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
