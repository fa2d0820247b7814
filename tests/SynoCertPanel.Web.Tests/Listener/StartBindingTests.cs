using System.Net;
using SynoCertPanel.Web.Components.Settings;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Listener;

public sealed class StartBindingTests
{
    private static readonly ListenerBinding Stored = new(9443, 9080, [IPAddress.Parse("192.168.1.10")]);

    [Fact]
    public void Parse_NoListenerOptions_NothingCountsAsGivenAndTheStoredBindingWins()
    {
        var options = ServeOptions.Parse([], _ => null).Value;

        Assert.Equal(ListenerOptionsGiven.None, options.Given);
        Assert.Equal(Stored, options.StartBinding(Stored));
    }

    [Fact]
    public void Parse_HttpsPortFromTheEnvironmentAndBindFromTheCommandLine_BothWinOverTheStoredOnes()
    {
        var options = ServeOptions.Parse(["--bind", "0.0.0.0"], name => name == "SYNOCERT_HTTPS_PORT" ? "7443" : null).Value;

        Assert.Equal(ListenerOptionsGiven.HttpsPort | ListenerOptionsGiven.BindAddress, options.Given);
        Assert.Equal(new ListenerBinding(7443, 9080, [IPAddress.Any]), options.StartBinding(Stored));
    }

    [Fact]
    public void StartBinding_GivenPortCollidesWithAStoredOne_TheGivenValuesWinAsAWhole()
    {
        var options = ServeOptions.Parse(["--https-port", "9080"], _ => null).Value;

        Assert.Equal(new ListenerBinding(9080, 8080, [IPAddress.Loopback]), options.StartBinding(Stored));
    }

    [Fact]
    public void StartBinding_NothingStored_UsesTheOptions()
    {
        Assert.Equal(new ListenerBinding(8443, 8080, [IPAddress.Loopback]), new ServeOptions().StartBinding(null));
    }

    [Theory]
    [InlineData("https://nas.home.arpa:8443/", "9443", "192.168.1.10", "https://nas.home.arpa:9443/settings")]
    [InlineData("https://127.0.0.1:8443/", "9443", "0.0.0.0", "https://127.0.0.1:9443/settings")]
    [InlineData("https://127.0.0.1:8443/", "9443", "192.168.1.10", "https://192.168.1.10:9443/settings")]
    [InlineData("https://localhost:8443/", "443", "192.168.1.10, 10.0.0.2", "https://192.168.1.10/settings")]
    [InlineData("https://localhost:8443/", "9443", "127.0.0.1", "https://localhost:9443/settings")]
    [InlineData("https://[::1]:8443/", "9443", "::", "https://[::1]:9443/settings")]
    public void ReconnectAddress_AfterAMove_PointsWhereThePanelListens(string current, string port, string addresses, string expected)
    {
        var next = ListenerBinding.Parse(port, "0", addresses).Value;

        Assert.Equal(new Uri(expected), ReconnectAddress.For(new Uri(current), next));
    }
}
