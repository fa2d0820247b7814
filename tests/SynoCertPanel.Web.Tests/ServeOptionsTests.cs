using System.Net;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests;

public class ServeOptionsTests
{
    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void Parse_NoArguments_ListensOnLoopbackWithDefaults()
    {
        var options = ServeOptions.Parse([], NoEnvironment).Value;

        Assert.Equal("data", options.DataDirectory);
        Assert.Equal(8443, options.HttpsPort);
        Assert.Equal(8080, options.HttpPort);
        Assert.Equal(IPAddress.Loopback, options.BindAddress);
    }

    [Fact]
    public void Parse_ArgumentsAndEnvironment_ArgumentsWin()
    {
        var environment = new Dictionary<string, string> { ["SYNOCERT_HTTPS_PORT"] = "9443", ["SYNOCERT_DATA"] = "/data" };

        var options = ServeOptions.Parse(["--https-port", "7443", "--bind=0.0.0.0"], n => environment.GetValueOrDefault(n)).Value;

        Assert.Equal(7443, options.HttpsPort);
        Assert.Equal("/data", options.DataDirectory);
        Assert.Equal(IPAddress.Any, options.BindAddress);
    }

    [Theory]
    [InlineData(new[] { "--https-port", "70000" }, "--https-port \"70000\" is not a port number")]
    [InlineData(new[] { "--https-port", "0" }, "is not a port number")]
    [InlineData(new[] { "--https-port", "-1" }, "is not a port number")]
    [InlineData(new[] { "--http-port", "8o80" }, "is not a port number")]
    [InlineData(new[] { "--bind", "nas.local" }, "is not an IP address")]
    [InlineData(new[] { "--data" }, "needs a value")]
    [InlineData(new[] { "--frobnicate", "1" }, "Unknown option")]
    [InlineData(new[] { "--bind", "1.2.3.4\r\nX: y" }, "\\u000D\\u000A")]
    public void Parse_BadInput_ExplainsTheProblem(string[] args, string expected)
    {
        var result = ServeOptions.Parse(args, NoEnvironment);

        Assert.False(result.IsSuccess);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }
}
