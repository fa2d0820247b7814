using System.Text.Json;

namespace SynoCertPanel.Web.Tests.Cli;

public sealed class BoxCommandTests : IDisposable
{
    private readonly CliDataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Add_ThenListShowDisableDelete_AgreeAcrossTextAndJson()
    {
        var added = await _dir.RunJsonAsync("box", "add", "router", "--address", "192.168.1.1", "--address", "router.home.arpa", "--watch", "192.168.1.1:8443");

        Assert.Equal("router", added.GetProperty("name").GetString());
        Assert.Equal("none", added.GetProperty("delivery").GetString());
        Assert.Equal(["192.168.1.1", "router.home.arpa"], added.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        var endpoint = Assert.Single(added.GetProperty("endpoints").EnumerateArray());
        Assert.Equal(("192.168.1.1", 8443), (endpoint.GetProperty("host").GetString(), endpoint.GetProperty("port").GetInt32()));

        var list = await _dir.RunAsync("box", "list");
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Equal("1\trouter\tnone\tenabled\t192.168.1.1, router.home.arpa\t192.168.1.1:8443 not probed", list.Output.TrimEnd('\n'));

        var show = await _dir.RunAsync("box", "show", "ROUTER");
        Assert.Contains("Box 1: router (enabled)", show.Output, StringComparison.Ordinal);
        Assert.Contains("Delivery: Watch only", show.Output, StringComparison.Ordinal);
        Assert.Contains("192.168.1.1:8443: not probed yet", show.Output, StringComparison.Ordinal);

        var disabled = await _dir.RunJsonAsync("box", "disable", "1");
        Assert.False(disabled.GetProperty("enabled").GetBoolean());

        var deleted = await _dir.RunAsync("box", "delete", "router");
        Assert.Equal("Deleted box 1 \"router\".", deleted.Output.TrimEnd('\n'));
        var empty = await _dir.RunJsonAsync("box", "list");
        Assert.Empty(empty.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("box add nas --address nas.lan --delivery ftp", "\"ftp\" is not a delivery method")]
    [InlineData("box add nas --address bad_name!", "bad_name!")]
    [InlineData("box add nas --address nas.lan --watch nas.lan:70000", "from 1 to 65535")]
    [InlineData("box add <x> --address nas.lan", "is not allowed")]
    [InlineData("box add nas --address nas.lan --ca 7", "There is no CA 7")]
    [InlineData("box show ghost", "There is no box \"ghost\"")]
    [InlineData("box delete 42", "There is no box \"42\"")]
    public async Task BadInput_PrintsTheReason_AndExitsNonZero(string command, string reason)
    {
        var result = await _dir.RunAsync(command.Split(' '));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        var list = await _dir.RunJsonAsync("box", "list");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Add_SameNameTwice_IsRefusedWithJsonError()
    {
        await _dir.RunJsonAsync("box", "add", "nas", "--address", "nas.lan");

        var again = await _dir.RunAsync("--json", "box", "add", "NAS", "--address", "nas2.lan");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", JsonDocument.Parse(again.Output).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
