using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Api;
using SynoCertPanel.Web.Tests.Cli;
using SynoCertPanel.Web.Tests.Cli.Remote;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>The same delivery from the command line: `box add --delivery panel` with the token from a file, `box test`, `box deploy`.</summary>
public sealed class PanelDeliveryCommandTests : IAsyncLifetime
{
    private ApiPanel _second = null!;

    public async Task InitializeAsync() => _second = await ApiPanel.StartAsync();

    public async Task DisposeAsync() => await _second.DisposeAsync();

    [Fact]
    public async Task BoxAddTestDeploy_TokenFromAFile_SecondPanelServesTheCertificateIssuedHere()
    {
        using var dir = new CliDataDirectory();
        var created = await _second.CreateTokenAsync("cli delivery", ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite);
        var tokenFile = RemotePanelFixture.WriteTokenFile(dir.File("nas2.token"), created.Secret);
        var ca = await dir.RunAsync("ca", "create", "--cn", "Home Root", "--key", "p256");
        Assert.True(ca.ExitCode == 0, ca.Error);

        var added = await dir.RunAsync("box", "add", "nas2", "--address", "localhost", "--address", "127.0.0.1", "--watch", $"127.0.0.1:{_second.Panel.Port}",
            "--delivery", "panel", "--url", _second.Panel.Address, "--api-token-file", tokenFile, "--ca", "1");
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.DoesNotContain(created.Secret, added.Output + added.Error, StringComparison.Ordinal);

        var tested = await dir.RunAsync("box", "test", "nas2");
        Assert.True(tested.ExitCode == 0, tested.Error);
        Assert.Contains("nothing was changed", tested.Output, StringComparison.Ordinal);

        var deployed = await dir.RunJsonAsync("box", "deploy", "nas2");
        var served = _second.Panel.Services.GetRequiredService<CertificateHolder>().Current;
        Assert.Equal("succeeded", deployed.GetProperty("outcome").GetString());
        Assert.Equal("CN=Home Root", served.Leaf.IssuerText);
        var show = await dir.RunJsonAsync("cert", "show", deployed.GetProperty("certificateId").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(served.Certificate.RawData)), show.GetProperty("sha256").GetString());
    }
}
